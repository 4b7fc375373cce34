import type { Lang } from '../types.js';
import { translator, type Params } from '../i18n/translate.js';
import es from '../i18n/es/lab.js';
import en from '../i18n/en/lab.js';

export type LabMessage = keyof typeof es;
export const tLab = translator<LabMessage>(es, en);

/** A lab failure the user can act on; `code` is a message key of grader/i18n/<lang>/lab.ts. */
export class LabError extends Error {
  constructor(readonly code: LabMessage, readonly params: Params = {}) {
    super(tLab('en', code, params));
    this.name = 'LabError';
  }
  localized(lang: Lang): string {
    return tLab(lang, this.code, this.params);
  }
}

/** Progress reporting (the CLI prints it; tests pass a quiet one). */
export type LabLog = (code: LabMessage, params?: Params) => void;
export const quietLog: LabLog = () => {};
