// Where the shipped exercise and the JSON Schemas live (inside the package, next to grader/).
import { join } from 'node:path';
import { projectRoot } from '../version.js';

export type FileKind = 'spec' | 'lab' | 'answers';

/** The exercise shipped with labgrade (the default `--spec`). */
export function shippedSpecPath(): string {
  return join(projectRoot(), 'exercises', 'clase2-redes.yaml');
}

/** The JSON Schema of one file kind (exercises/schema/<kind>.schema.json). */
export function schemaPath(kind: FileKind): string {
  return join(projectRoot(), 'exercises', 'schema', `${kind}.schema.json`);
}
