// Batch progress on stderr: on a TTY one live line (bar, done / with problems / running, ETA)
// redrawn in place; otherwise one plain line per finished student (logs, CI).
import type { Lang } from '../types.js';
import { formatPercent, translator } from '../i18n/translate.js';
import es from '../i18n/es/batch.js';
import en from '../i18n/en/batch.js';
import { oneLine } from '../../reports/escape.js';
import type { BatchEvent, StudentStatus } from './types.js';
import { paint, wantColour, STATUS_STYLE } from '../util/colour.js';

const t = translator(es, en);

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class Progress {
  private total = 0;
  private done = 0;
  private problems = 0;
  private running = 0;
  private toRun = 0;
  private finishedThisRun = 0;
  private readonly t0 = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private lastLen = 0;

  constructor(
    private readonly out: ProgressStream,
    private readonly lang: Lang,
    private readonly live = Boolean(out.isTTY),
    /** Status words in colour (grader/util/colour.ts: a terminal, no NO_COLOR, or --color). */
    private readonly colour = wantColour(out),
  ) {}

  readonly onEvent = (e: BatchEvent): void => {
    switch (e.type) {
      case 'queued':
        this.total = e.total;
        this.toRun = e.total - e.reused;
        if (this.live && !this.timer) {
          this.timer = setInterval(() => this.draw(), 500);
          this.timer.unref();
        }
        break;
      case 'start':
        this.running++;
        break;
      case 'reused':
        this.done++;
        if (!this.live) this.line(t(this.lang, 'progressReused', { n: this.done, total: this.total, id: e.student.id }));
        break;
      case 'done': {
        this.running = Math.max(0, this.running - 1);
        this.done++;
        this.finishedThisRun++;
        if (e.record.status !== 'graded') this.problems++;
        if (!this.live) {
          const detail = e.record.status === 'graded' || e.record.status === 'incomplete' ? formatPercent(this.lang, e.percent ?? 0) : '';
          const why = e.record.error ? ` — ${oneLine(e.record.error.message)}` : '';
          this.line(
            t(this.lang, 'progressStudent', {
              n: this.done,
              total: this.total,
              id: e.student.id,
              status: paint(STATUS_COLOUR[e.record.status], statusWord(this.lang, e.record.status), this.colour),
              detail,
              seconds: (e.record.durationMs / 1000).toFixed(1),
            }).replace(/\s+\(/, ' (') + why,
          );
        }
        break;
      }
    }
    if (this.live) this.draw();
  };

  private eta(): string {
    const left = this.toRun - this.finishedThisRun;
    if (this.finishedThisRun === 0 || left <= 0) return '';
    const rate = (Date.now() - this.t0) / this.finishedThisRun;
    return t(this.lang, 'progressEta', { eta: formatDuration(rate * left) });
  }

  private draw(): void {
    const eta = this.eta();
    const text = `${t(this.lang, 'progressLine', { done: this.done, total: this.total, failed: this.problems, running: this.running })}${eta ? ` · ${eta}` : ''}`;
    const s = liveLine(text, this.done, this.total, this.out.columns);
    const len = [...s].length;
    this.out.write(`\r${s}${' '.repeat(Math.max(0, this.lastLen - len))}`);
    this.lastLen = len;
  }

  private line(s: string): void {
    this.out.write(`${s}\n`);
  }

  /** Prints a message on its own line (the live line is redrawn after it). */
  note(s: string): void {
    if (this.live && this.lastLen) this.out.write(`\r${' '.repeat(this.lastLen)}\r`);
    this.line(s);
    if (this.live && this.lastLen) this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.live && this.lastLen) {
      this.draw();
      this.out.write('\n');
      this.lastLen = 0;
    }
  }
}

const BAR_WIDTH = 24;

/**
 * The live line for a terminal `columns` wide (0 or unknown: 80, as terminals that report no size
 * usually have): the bar only when the text still fits beside it, then cut to columns - 1 whole
 * characters so the line never wraps (a wrapped line cannot be redrawn in place).
 */
export function liveLine(text: string, done: number, total: number, columns: number | undefined): string {
  const cols = columns && columns > 0 ? columns : 80;
  const filled = total ? Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH)) : 0;
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const chars = [...text];
  const line = chars.length + BAR_WIDTH + 3 <= cols - 1 ? [...`${bar} `, ...chars] : chars;
  return line.slice(0, Math.max(0, cols - 1)).join('');
}

/** graded: measured (green); incomplete: something could not be measured; failed: no grade (red). */
const STATUS_COLOUR = { graded: STATUS_STYLE.pass, incomplete: STATUS_STYLE.unmeasured, failed: STATUS_STYLE.fail, pending: STATUS_STYLE.skip } as const;

export function statusWord(lang: Lang, s: StudentStatus): string {
  return t(lang, s === 'graded' ? 'statusGraded' : s === 'incomplete' ? 'statusIncomplete' : s === 'failed' ? 'statusFailed' : 'statusPending');
}
