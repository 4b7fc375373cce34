// Shared helpers of the spec/lab/answers tests: temporary files and issue assertions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { InputError, type InputIssue } from '../../../grader/types.js';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixtures = join(root, 'test', 'fixtures', 'spec');
export const shipped = join(root, 'exercises', 'clase2-redes.yaml');

export class TempDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'labgrade-spec-'));
  private n = 0;
  write(content: string | Uint8Array, name?: string): string {
    const p = join(this.dir, name ?? `f${this.n++}.yaml`);
    writeFileSync(p, content);
    return p;
  }
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `fn`, expects an InputError, returns it. */
export async function inputError(fn: () => Promise<unknown>): Promise<InputError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof InputError) return err;
    throw new Error(`expected an InputError, got: ${(err as Error)?.stack ?? String(err)}`);
  }
  throw new Error('expected an InputError, but it loaded');
}

/** The issue whose path is `path` (fails the test when absent). */
export function issueAt(err: InputError, path: string): InputIssue {
  const found = err.issues.find((i) => i.path === path);
  expect(found, `no issue at ${path}; issues: ${JSON.stringify(err.issues, null, 1)}`).to.not.equal(undefined);
  return found!;
}

/** The questions of the seed exercise (clase2-redes.md, step 3), as the students read them. */
export const SEED_QUESTIONS = [
  '¿Qué tipo de configuración de red has necesitado (estática o dinámica)?',
  '¿Qué configuración de red ha tomado cada máquina?',
  '¿Tiene conectividad con el exterior?',
  '¿Tiene resolución DNS?',
  '¿Cuál es el servidor DNS?',
  '¿Hay conectividad entre las máquinas?',
  '¿Hay conectividad con el host?',
];
