// Validates a parsed JSON value against reports/result.schema.json (used by the tests and by
// `labgrade batch --resume`, which reads results back from disk).

type ValidateFn = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
let compiled: ValidateFn | undefined; // cache

export async function resultSchema(): Promise<Record<string, unknown>> {
  return (await import('./result.schema.json', { with: { type: 'json' } })).default as Record<string, unknown>;
}

async function validator(): Promise<ValidateFn> {
  if (compiled) return compiled;
  // Built: generated at build time (scripts/build-validators.mjs); from the sources: compiled now.
  const { importBuiltValidator } = await import('../grader/util/validators.js');
  const built = await importBuiltValidator<ValidateFn>('result');
  if (built) return (compiled = built);
  const { Ajv } = await import('ajv');
  const addFormats = (await import('ajv-formats')).default as unknown as (a: unknown) => void;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  compiled = ajv.compile(await resultSchema()) as ValidateFn;
  return compiled;
}

/** Problems found ("/tasks/0/points must be number"); empty when valid. */
export async function resultProblems(data: unknown): Promise<string[]> {
  const v = await validator();
  if (v(data)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}
