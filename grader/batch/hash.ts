// The content hash that decides whether `--resume` may skip a student: the spec, the student's
// answers, the lab description and the options that change a result. Secret values are never
// hashed (only where they come from).
import { createHash } from 'node:crypto';
import { readInput, ReadInputError } from '../inputs/read.js';
import type { LabSource } from './roster.js';

export interface InputHashes {
  spec: string;
  answers: string;
  lab: string;
  options: string;
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 of a file's bytes, or a marker naming why it could not be read (so a fixed file re-runs). */
export async function fileHash(path: string, signal?: AbortSignal): Promise<string> {
  try {
    return sha256(await readInput(path, 'yaml', signal ? { signal } : {}));
  } catch (err) {
    if (err instanceof ReadInputError) return `unreadable:${err.code}:${err.reason}`;
    throw err;
  }
}

/** JSON with sorted keys, inline secret values masked. */
export function stableJson(value: unknown, key?: string): string {
  if ((key === 'value' || key === 'password') && typeof value === 'string') return '"<secret>"';
  if (Array.isArray(value)) return `[${value.map((v) => stableJson(v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return `{${Object.keys(obj)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(obj[k], k)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export async function labHash(lab: LabSource, signal?: AbortSignal): Promise<string> {
  return lab.kind === 'file' ? fileHash(lab.path, signal) : sha256(stableJson(lab.data));
}

export function combineHashes(h: InputHashes): string {
  return sha256(stableJson(h));
}
