// `labgrade handin show FILE`: what a hand-in holds (every entry with its size and sha256, the runs,
// what kinds of evidence), whether its seal holds, and whether any secret this labgrade knows of
// (the lab file's passwords and keys, once resolved) appears in it. Exit 0 sealed and clean, 1 not.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/handin.js';
import en from '../../i18n/en/handin.js';

const t = translator(es, en);

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  const h = program.command('handin').description(t(L, 'cmdHandin'));
  h.command('show')
    .description(t(L, 'cmdHandinShow'))
    .argument('<file>', t(L, 'argHandinFile'))
    .option('--lab <file>', t(L, 'optShowLab'))
    .action(async (file: string, opts: { lab?: string }) => {
      process.exitCode = await runShow(file, ctx, opts);
    });
}

/** With `--lab`: the lab file's secrets (passwords, key files) become known, so they are looked for. */
async function learnSecrets(labPath: string, lang: CliContext['lang']): Promise<void> {
  const [{ loadLab }, { resolveSecret, registerSecret }, { readInput }, { dirname }] = await Promise.all([
    import('../../inputs/load-lab.js'),
    import('../../inputs/secrets.js'),
    import('../../inputs/read.js'),
    import('node:path'),
  ]);
  const lab = await loadLab(labPath, { lang });
  for (const vm of Object.values(lab.vms)) {
    for (const a of vm.access) {
      if (a.kind === 'agent') continue;
      if (a.password) await resolveSecret(a.password, dirname(lab.file), { lang }).catch(() => undefined);
      if (a.kind === 'ssh' && a.keyFile) {
        const key = await readInput(a.keyFile, 'key').catch(() => null);
        if (key) registerSecret(key.toString('utf8').trim());
      }
    }
  }
}

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export async function runShow(file: string, ctx: CliContext, opts: { lab?: string } = {}): Promise<number> {
  const lang = ctx.lang;
  if (opts.lab) await learnSecrets(opts.lab, lang);
  const [{ readHandIn, HandInRefused }, { redact }, { InputError }] = await Promise.all([
    import('../../handin/read.js'),
    import('../../inputs/secrets.js'),
    import('../../types.js'),
  ]);
  let h;
  try {
    h = await readHandIn(file, file, lang);
  } catch (e) {
    if (e instanceof HandInRefused) throw new InputError(e.message);
    throw e;
  }
  const m = h.manifest;
  const out: string[] = [];
  out.push(t(lang, 'showHeader', { file, format: m.format, version: m.version, createdAt: m.createdAt }));
  out.push(t(lang, 'showTool', { version: m.tool.version, build: m.tool.build }));
  out.push(t(lang, 'showExercise', { id: m.exercise.id, sha: m.exercise.sha256 }));
  out.push(t(lang, 'showStudent', { name: m.student.name }));
  for (const r of m.runs) {
    out.push(t(lang, 'showRun', { n: r.n, task: r.task, start: r.startedAt, end: r.finishedAt, points: r.score.points, max: r.score.maxPoints, percent: r.score.percent, entries: r.evidenceEntries }));
    const ev = h.runs.find((x) => x.n === r.n)?.evidence ?? [];
    out.push(
      t(lang, 'showEvidenceKinds', {
        virsh: ev.filter((e) => e.kind === 'virsh').length,
        commands: ev.filter((e) => e.kind === 'command').length + ev.filter((e) => e.kind === 'open' && e.first).length,
        opens: ev.filter((e) => e.kind === 'open').length,
        keys: ev.filter((e) => e.kind === 'open' && e.hostKey).length,
      }),
    );
  }
  for (const e of m.entries) out.push(t(lang, 'showEntry', { path: e.path, size: e.size, sha: e.sha256 }));
  if (h.sealProblems.length === 0) out.push(t(lang, 'showSealOk'));
  else out.push(t(lang, 'showSealBad'), ...h.sealProblems.map((p) => `  - ${p}`));
  // Any secret this process knows of (resolved from the files it read) found in an entry.
  // Private keys are looked for whatever the lab file says.
  const withSecret = [...h.files.entries()]
    .filter(([, d]) => {
      const text = d.toString('utf8');
      return redact(text) !== text || PRIVATE_KEY.test(text);
    })
    .map(([p]) => p);
  out.push(withSecret.length === 0 ? t(lang, 'showNoSecrets') : t(lang, 'showSecretsFound', { count: withSecret.length, paths: withSecret.join(', ') }));
  process.stdout.write(`${out.join('\n')}\n`);
  return h.sealProblems.length === 0 && withSecret.length === 0 ? 0 : 1;
}
