// Bounded collection of a command's output, shared by every transport: each stream keeps at most
// `maxOutputBytes` bytes; anything beyond is dropped and flagged, so hostile output (megabytes,
// binary, never-ending) costs a bounded amount of memory. Bytes are decoded as UTF-8 once at the end
// (invalid sequences become U+FFFD), so binary output never throws.
import type { CommandResult, RunOptions } from '../types.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

export interface NormalizedRunOptions {
  timeoutMs: number;
  maxOutputBytes: number;
}

/** Defaults and sanity bounds for RunOptions, decided once here for every transport. */
export function normalizeRunOptions(opts: RunOptions = {}): NormalizedRunOptions {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutputBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  return {
    timeoutMs: Number.isFinite(timeoutMs) && timeoutMs > 0 ? Math.floor(timeoutMs) : DEFAULT_TIMEOUT_MS,
    maxOutputBytes:
      Number.isFinite(maxOutputBytes) && maxOutputBytes > 0 ? Math.floor(maxOutputBytes) : DEFAULT_MAX_OUTPUT_BYTES,
  };
}

/** Keeps the first `cap` bytes of a stream. */
export class BoundedBuffer {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** Bytes seen beyond the cap were dropped. */
  overflowed = false;
  constructor(readonly cap: number) {}

  /** Returns false once the cap has been exceeded (the caller should stop the stream). */
  push(chunk: Buffer | string): boolean {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.overflowed) return false;
    const room = this.cap - this.size;
    if (buf.length > room) {
      if (room > 0) this.chunks.push(buf.subarray(0, room));
      this.size = this.cap;
      this.overflowed = true;
      return false;
    }
    this.chunks.push(buf);
    this.size += buf.length;
    return true;
  }

  get length(): number {
    return this.size;
  }

  toString(): string {
    return Buffer.concat(this.chunks, this.size).toString('utf8');
  }
}

export function makeResult(
  exitCode: number | null,
  out: BoundedBuffer,
  err: BoundedBuffer,
  startedAt: number,
  flags: { timedOut: boolean; truncated?: boolean },
): CommandResult {
  return {
    exitCode,
    stdout: out.toString(),
    stderr: err.toString(),
    durationMs: Date.now() - startedAt,
    truncated: Boolean(flags.truncated) || out.overflowed || err.overflowed,
    timedOut: flags.timedOut,
  };
}
