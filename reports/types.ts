// One small interface for every output format. A renderer is a pure function of the GradeResult:
// it never recounts the score nor decides the exit code (grader/engine/run.ts does, once).
import type { GradeResult, Lang } from '../grader/types.js';

export type ReportFormat = 'text' | 'json' | 'junit' | 'html';

export interface RenderOptions {
  /** text only: ANSI colours. The caller decides (stream is a TTY and NO_COLOR unset). */
  color?: boolean;
  /** Labels' language; defaults to the result's own `lang` (explanations are already localized). */
  lang?: Lang;
}

/** Callable as `renderers.html(result, opts)`; also says how to name and serve its output. */
export interface Renderer {
  (result: GradeResult, opts?: RenderOptions): string;
  readonly format: ReportFormat;
  /** File extension without the dot. */
  readonly extension: string;
  readonly mediaType: string;
}

export function defineRenderer(
  format: ReportFormat,
  extension: string,
  mediaType: string,
  render: (result: GradeResult, opts: RenderOptions) => string,
): Renderer {
  const fn = (result: GradeResult, opts: RenderOptions = {}) => render(result, opts);
  return Object.assign(fn, { format, extension, mediaType }) as Renderer;
}
