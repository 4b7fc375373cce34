// The canonical result: the GradeResult itself (reports/result.schema.json documents it).
import { defineRenderer } from './types.js';

export const json = defineRenderer('json', 'json', 'application/json', (r) => `${JSON.stringify(r, null, 2)}\n`);
