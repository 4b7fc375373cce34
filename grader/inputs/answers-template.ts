// `labgrade answers init`: an answers file with every task and question of a spec as comments
// in one language, values left empty for the student to fill.
import { rolesAsked } from './asked.js';
import type { AnswerKind, ExerciseSpec, Lang, SpecTask } from '../types.js';
import { t, type SpecMsg } from './yaml-source.js';

const FORM: Record<AnswerKind, SpecMsg> = {
  'yes-no': 'tplFormYesNo',
  'config-method': 'tplFormConfigMethod',
  ipv4: 'tplFormIpv4',
  'ipv4-config': 'tplFormIpv4Config',
};

/** A comment line (or lines) of at most ~100 columns, never breaking the YAML. */
function comment(indent: string, text: string): string[] {
  const out: string[] = [];
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  let line = '';
  for (const w of words) {
    if (line !== '' && indent.length + 2 + line.length + 1 + w.length > 100) {
      out.push(`${indent}# ${line}`);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') out.push(`${indent}# ${line}`);
  return out;
}

function perVmExample(task: SpecTask, lang: Lang, kind: AnswerKind): string {
  const sample = kind === 'yes-no' ? [lang === 'es' ? 'sí' : 'yes', 'no'] : kind === 'config-method' ? ['dinámica', 'estática'] : ['192.168.1.1', lang === 'es' ? 'ninguno' : 'none'];
  if (kind === 'config-method' && lang === 'en') sample.splice(0, 2, 'dynamic', 'static');
  return `{ ${task.vms.map((r, i) => `${r}: ${sample[i % sample.length]}`).join(', ')} }`;
}

export interface TemplateOptions {
  /** `$schema` reference for editors (path relative to the written file). */
  schemaRef?: string;
  /** How to name the file in the "check with" line. */
  fileHint?: string;
}

/** The answers template of `spec` in `lang`. Filling its values yields a valid answers file. */
export function answersTemplate(spec: ExerciseSpec, lang: Lang, opts: TemplateOptions = {}): string {
  const m = (key: SpecMsg, params?: Record<string, string | number>): string => t(lang, key, params);
  const L: string[] = [];
  if (opts.schemaRef) L.push(`# yaml-language-server: $schema=${opts.schemaRef}`);
  L.push(...comment('', m('tplHeader', { title: spec.title[lang], id: spec.id })));
  L.push(...comment('', m('tplHowTo')));
  const multi = spec.tasks.find((task) => task.vms.length > 1);
  if (multi) L.push(...comment('', m('tplPerVm', { example: perVmExample(multi, lang, 'yes-no') })));
  L.push(...comment('', m('tplCheck', { file: opts.fileHint ?? (lang === 'es' ? 'respuestas.yaml' : 'answers.yaml') })));
  L.push(`exercise: ${spec.id}`, '');
  L.push(`# ${m('tplStudent')}`);
  L.push('student:');
  L.push(`  name:      # ${m('tplName')}`);
  L.push(`  id:        # ${m('tplId')}`);
  L.push(`  email:     # ${m('tplEmail')}`);
  L.push('', 'answers:');
  for (const task of spec.tasks) {
    const net = Object.hasOwn(spec.networks, task.network) ? spec.networks[task.network] : undefined;
    L.push('');
    L.push(...comment('  ', `== ${m('tplTask', { id: task.id, title: task.title[lang] })}`));
    if (net) L.push(...comment('  ', m('tplNetwork', { title: net.title[lang], names: net.names.join(', ') })));
    L.push(`  ${task.id}:`);
    for (const qid of task.questions) {
      const q = Object.hasOwn(spec.questions, qid) ? spec.questions[qid]! : undefined;
      if (!q) continue;
      L.push(...comment('    ', `${q.prompt[lang]}  [${m('tplPoints', { points: q.points })}]`));
      L.push(...comment('    ', m(FORM[q.kind])));
      const asked = rolesAsked(task, qid);
      if (asked.length < task.vms.length) L.push(...comment('    ', m('tplOnlyFor', { roles: asked.join(', ') })));
      if (q.kind === 'ipv4-config') {
        L.push(`    ${qid}:`);
        for (const role of asked) {
          const vm = Object.hasOwn(spec.vms, role) ? spec.vms[role] : undefined;
          L.push(`      ${role}:${vm ? `    # ${vm.title[lang]}` : ''}`);
          L.push('        address:', '        gateway:', '        dns:');
        }
      } else {
        L.push(`    ${qid}:`);
      }
    }
  }
  return `${L.join('\n')}\n`;
}
