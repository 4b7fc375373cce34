import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

let rootOverride: string | undefined;

/** The single executable (grader/cli/sea.ts) points the root at its unpacked bundled files. */
export function setProjectRoot(dir: string): void {
  rootOverride = dir;
}

/** Whether this process is the single executable (there is no separate `node` to run scripts with). */
export function isSingleExecutable(): boolean {
  return rootOverride !== undefined;
}

/** Repository root (works from grader/ under tsx and from dist/grader/ when built). */
export function projectRoot(): string {
  if (rootOverride) return rootOverride;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'labgrade') return dir;
    } catch {
      /* keep climbing */
    }
    dir = dirname(dir);
  }
  throw new Error('labgrade: cannot find the project root (package.json)');
}

let cached: string | undefined;
export function toolVersion(): string {
  cached ??= (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return cached;
}
