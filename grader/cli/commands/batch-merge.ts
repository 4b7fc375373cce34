// `labgrade batch merge --roster <roster.yaml> --out <dir> <slice dirs...>` (also spelled
// `batch-merge`): the class outputs of a run split with `batch --shard K/N` across CI jobs.
// Exit 0 when every student of the roster was graded, 1 when some were not (or a slice is missing),
// 2 for input errors (no manifest, slices of different runs, another roster).
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { withVerbosity } from '../verbosity.js';
import { checkOutputPath } from '../output-path.js';
import { translator } from '../../i18n/translate.js';
import es from '../../i18n/es/shard.js';
import en from '../../i18n/en/shard.js';

const t = translator(es, en);

interface MergeCliOptions {
  roster: string;
  out: string;
  publicOutputs?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  const L = ctx.lang;
  const cmd = program
    .command('batch-merge')
    .description(t(L, 'mergeDescription'))
    .argument('<dirs...>', t(L, 'argDirs'))
    .requiredOption('--roster <roster.yaml>', t(L, 'optMergeRoster'))
    .requiredOption('--out <dir>', t(L, 'optMergeOut'))
    .option('--public-outputs', t(L, 'optMergePublic'));
  withVerbosity(cmd, L).action(async (dirs: string[], opts: MergeCliOptions) => {
      process.exitCode = await runMergeCli(dirs, opts, ctx);
    });
}

export async function runMergeCli(dirs: string[], opts: MergeCliOptions, ctx: CliContext): Promise<number> {
  const lang = ctx.lang;
  checkOutputPath(opts.out, '--out', lang);
  const [{ loadRoster }, { loadSlices, mergeSlices }, { writeClassOutputs }, { resolve, join }, { PRIVATE_MODES, PUBLIC_MODES }] = await Promise.all([
    import('../../batch/roster.js'),
    import('../../batch/merge.js'),
    import('../../batch/outputs.js'),
    import('node:path'),
    import('../../util/fs.js'),
  ]);
  const modes = opts.publicOutputs ? PUBLIC_MODES : PRIVATE_MODES;
  const roster = await loadRoster(opts.roster, lang);
  const loaded = await loadSlices(dirs, roster, lang);
  const first = loaded.slices[0]!.manifest;
  // The slices' export settings (after their --identity/--scale) are the run's.
  roster.export = { ...first.export };
  const outDir = resolve(opts.out);
  const { outcome, warnings } = await mergeSlices(roster, loaded, outDir, lang, modes.dir);
  if (loaded.missing.length) warnings.push(t(lang, 'missingSlices', { n: loaded.n, missing: loaded.missing.join(', ') }));
  for (const w of warnings) process.stderr.write(`${w}\n`);
  const summary = await writeClassOutputs(roster, outcome, { outDir, exercise: first.exercise, lang: first.lang, modes });
  const c = summary.counts;
  if (ctx.verbosity !== 'quiet') process.stderr.write(`${t(lang, 'merged', { slices: loaded.slices.length, graded: c.graded, incomplete: c.incomplete, failed: c.failed, pending: c.pending })}\n`);
  process.stdout.write(`${join(outDir, 'index.html')}\n${join(outDir, 'grades.csv')}\n${join(outDir, 'class.json')}\n`);
  if (outcome.interrupted) return 130;
  return c.graded === c.students && loaded.missing.length === 0 ? 0 : 1;
}
