// The JSON Schema validators compiled at build time (scripts/build-validators.mjs writes
// dist/validators/<name>.mjs): loading one is a small module instead of ajv's compiler plus a
// schema compilation per run. From the sources (tests under tsx) there are none: callers compile.
import { existsSync } from 'node:fs';

/** dist/validators/<name>.mjs when running from dist/ (two folders up from this module); else null. */
export async function importBuiltValidator<V>(name: string): Promise<V | null> {
  const url = new URL(`../../validators/${name}.mjs`, import.meta.url);
  if (!existsSync(url)) return null;
  return ((await import(url.href)) as { default: V }).default;
}
