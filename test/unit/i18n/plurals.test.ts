// Counts agree with their noun: "1 fallido", "2 incompletos", never "1 fallidos" (ICU plurals in the
// catalogs, grader/i18n/translate.ts). The batch and shard summaries, and a scan of every Spanish
// catalog for a bare count in front of a plural word.
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { translator } from '../../../grader/i18n/translate.js';
import esBatch from '../../../grader/i18n/es/batch.js';
import enBatch from '../../../grader/i18n/en/batch.js';
import esShard from '../../../grader/i18n/es/shard.js';
import enShard from '../../../grader/i18n/en/shard.js';

const i18n = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'grader', 'i18n');
const tb = translator(esBatch, enBatch);
const ts = translator(esShard, enShard);

describe('i18n: plural agreement', () => {
  it('batch summary: "0 corregidos, 2 incompletos, 1 fallido, 1 pendiente"', () => {
    const s = tb('es', 'finished', { graded: 0, incomplete: 2, failed: 1, pending: 1, seconds: 3.5 });
    expect(s).to.equal('Clase corregida: 0 corregidos, 2 incompletos, 1 fallido, 1 pendiente, en 3,5 s.');
    expect(tb('es', 'finished', { graded: 1, incomplete: 1, failed: 0, pending: 0, seconds: 1 })).to.include('1 corregido, 1 incompleto, 0 fallidos, 0 pendientes');
    expect(tb('en', 'finished', { graded: 1, incomplete: 0, failed: 2, pending: 0, seconds: 1 })).to.include('1 graded, 0 incomplete, 2 failed, 0 pending');
    expect(tb('es', 'mistakeCount', { count: 1, total: 1 })).to.equal('1 de 1 alumno');
    expect(tb('en', 'mistakeCount', { count: 1, total: 3 })).to.equal('1 of 3 students');
  });

  it('shard summaries: merged and slice counts agree', () => {
    expect(ts('es', 'merged', { slices: 2, graded: 1, incomplete: 0, failed: 1, pending: 2 })).to.equal('Porciones unidas: 2. Alumnos: 1 corregido, 0 incompletos, 1 fallido, 2 pendientes.');
    expect(ts('es', 'shardWrote', { k: 1, n: 2, count: 1, total: 1 })).to.match(/^Porción 1\/2: 1 de 1 alumno\. /);
    expect(ts('en', 'shardWrote', { k: 1, n: 2, count: 1, total: 1 })).to.match(/^Slice 1\/2: 1 of 1 student\. /);
  });

  it('no Spanish catalog puts a bare count in front of a plural noun or adjective', async () => {
    const words = /\{(?:n|count|total|graded|incomplete|failed|pending|ok|bad|pass|fail|error|warn|skip|students)\} (?:alumnos|corregidos|incompletos|fallidos|pendientes|reservas|válidos|fallos|errores|avisos|omitidos|tareas|preguntas|máquinas|redes|ficheros|elementos|problemas)\b/;
    const bad: string[] = [];
    for (const f of readdirSync(join(i18n, 'es')).filter((x) => x.endsWith('.ts'))) {
      const cat = ((await import(pathToFileURL(join(i18n, 'es', f)).href)) as { default: Record<string, string> }).default;
      for (const [k, v] of Object.entries(cat)) if (words.test(v)) bad.push(`${f}:${k}: ${v}`);
    }
    expect(bad).to.deep.equal([]);
  });
});
