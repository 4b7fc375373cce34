// One small interface for every output of every report. A renderer is a pure function of its report
// (a GradeResult, a ClassSummary, a DoctorReport, a HostSnapshot): it never recounts a score nor
// decides an exit code (grader/engine/run.ts does, once, for a result).
import type { GradeResult, Lang } from '../grader/types.js';
import type { FormatOf } from './formats.js';

export type ReportFormat = FormatOf<'result'>;

export interface RenderOptions {
  /** text only: ANSI colours. The caller decides (stream is a TTY and NO_COLOR unset). */
  color?: boolean;
  /** The language to render in; defaults to the result's own `lang`. */
  lang?: Lang;
}

/** Callable as `renderers.html(report, opts)`; also says how to name and serve its output. */
export interface RendererOf<T, O = RenderOptions, F extends string = string> {
  (report: T, opts?: O): string;
  readonly format: F;
  /** File extension without the dot. */
  readonly extension: string;
  readonly mediaType: string;
}

/** A student report's renderer (a GradeResult in, text out). */
export type Renderer = RendererOf<GradeResult, RenderOptions, ReportFormat>;

export function defineRenderer<T = GradeResult, O = RenderOptions, F extends string = ReportFormat>(
  format: F,
  extension: string,
  mediaType: string,
  render: (report: T, opts: O) => string,
): RendererOf<T, O, F> {
  const fn = (report: T, opts: O = {} as O) => render(report, opts);
  return Object.assign(fn, { format, extension, mediaType }) as RendererOf<T, O, F>;
}
