// Where the shipped exercise and the JSON Schemas live (inside the package, next to grader/).
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { projectRoot } from '../version.js';

export type FileKind = 'spec' | 'lab' | 'answers' | 'roster';

/** The exercise shipped with labgrade (the default `--spec`). */
export function shippedSpecPath(): string {
  return join(projectRoot(), 'exercises', 'clase2-redes.yaml');
}

/** The JSON Schema of one file kind (exercises/schema/<kind>.schema.json). */
export function schemaPath(kind: FileKind): string {
  return join(projectRoot(), 'exercises', 'schema', `${kind}.schema.json`);
}

/**
 * How a written file points editors at its schema (`# yaml-language-server: $schema=...`): relative
 * when the file is written inside labgrade's own folder (as in the repository), else absolute.
 */
export function schemaRefFor(kind: FileKind, outFile?: string): string {
  const schema = schemaPath(kind);
  const outDir = outFile ? dirname(resolve(outFile)) : process.cwd();
  const inside = relative(projectRoot(), outDir);
  if (inside.startsWith('..') || isAbsolute(inside)) return schema;
  const ref = relative(outDir, schema).split(sep).join('/');
  return ref.startsWith('.') ? ref : `./${ref}`;
}
