// The output formats of every report labgrade writes, by report kind: the one list `--format` is
// checked against (grader/cli/format-option.ts). Kept apart from the renderers so a command checks
// its options without loading them; test/unit/contracts/renderers.test.ts holds that every kind's
// formats here are exactly the renderers registered for it in reports/index.ts.
export const FORMATS = {
  /** One student's result (`check`, `report`, `batch`): reports/{text,json,junit,html}.ts. */
  result: ['text', 'json', 'junit', 'html'],
  /** A batch's class summary (all three are written): reports/summary.ts. */
  summary: ['json', 'csv', 'html'],
  /** `doctor`: reports/doctor.ts. */
  doctor: ['text', 'json'],
  /** `inspect`: reports/inspect.ts. */
  inspect: ['text', 'json'],
  /** Commands whose output is a short listing (`exercises`, `validate`, `lab`): their own lines, or JSON. */
  listing: ['text', 'json'],
} as const;

export type ReportKind = keyof typeof FORMATS;
export type FormatOf<K extends ReportKind> = (typeof FORMATS)[K][number];

export function isFormatOf<K extends ReportKind>(kind: K, s: unknown): s is FormatOf<K> {
  return typeof s === 'string' && (FORMATS[kind] as readonly string[]).includes(s);
}
