// `labgrade lab up [--scenario NAME] [--flavour LIST] [--user LIST] | down | status | scenarios` (each
// with --format text|json; --json is kept, hidden, as its old spelling): the sandboxed real lab
// (grader/lab/). Root only. Heavy modules load inside the actions. Exit 0 ok, 1 failed, 2 bad usage (not root, unknown scenario, bad format).
import { Option, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { translator, type Params } from '../../i18n/translate.js';
import es from '../../i18n/es/lab.js';
import en from '../../i18n/en/lab.js';
import { formatOption } from '../format-option.js';
import { SCENARIOS, DEFAULT_SCENARIO } from '../../lab/scenarios.js';
import { FLAVOUR_NAMES, DEFAULT_FLAVOUR } from '../../lab/flavours.js';
import { withVerbosity, debugging } from '../verbosity.js';

const t = translator(es, en);

interface FormatOpts {
  format: string;
  json?: boolean;
}

/** --format text|json on every lab command (plus the old --json, hidden). */
function withFormat(cmd: Command, lang: CliContext['lang']): Command {
  return cmd.option('--format <text|json>', t(lang, 'optFormat'), 'text').addOption(new Option('--json').hideHelp());
}

/** true for JSON; throws the usage error (exit 2) for anything but text/json. */
async function wantsJson(o: FormatOpts, lang: CliContext['lang']): Promise<boolean> {
  const format = formatOption('listing', o.format, lang);
  return o.json === true || format === 'json';
}
import { domainStateWord } from '../../libvirt/state-words.js';
const DEFAULT_LAB_FILE = '/var/lib/labgrade/lab.yaml';
const SCENARIO_NAMES = Object.keys(SCENARIOS).join(', ');

async function guarded(ctx: CliContext, fn: () => Promise<void>): Promise<void> {
  const { LabError } = await import('../../lab/errors.js');
  try {
    await fn();
  } catch (err) {
    const { emitError } = await import('../io.js');
    if (err instanceof LabError) {
      const usage = ['notRoot', 'unknownScenario', 'badScenario', 'badFlavour', 'badFlavourTarget', 'badUser'];
      process.exitCode = usage.includes(err.code) ? 2 : 1;
      emitError({ code: process.exitCode === 2 ? 'usage' : 'lab', reason: err.code, message: err.localized(ctx.lang), exitCode: process.exitCode });
      return;
    }
    const { InputError } = await import('../../types.js');
    if (err instanceof InputError) throw err;
    emitError({ code: 'lab', message: t(ctx.lang, 'failed', { message: (err as Error)?.message ?? String(err) }), exitCode: 1 });
    if (debugging(ctx.verbosity) && (err as Error)?.stack) process.stderr.write(`${(err as Error).stack}\n`);
    process.exitCode = 1;
  }
}

export function register(program: Command, ctx: CliContext): void {
  const lang = ctx.lang;
  const lab = program.command('lab').description(t(lang, 'cmdLab'));
  // -q: no steps on stderr.
  const progress = (code: keyof typeof es, params?: Params): void => {
    if (ctx.verbosity !== 'quiet') process.stderr.write(`- ${t(lang, code, params)}\n`);
  };

  const up = lab
    .command('up')
    .description(t(lang, 'cmdUp'))
    .option('--scenario <name>', t(lang, 'optScenario', { def: DEFAULT_SCENARIO, names: SCENARIO_NAMES }), DEFAULT_SCENARIO)
    .option('--flavour <list>', t(lang, 'optFlavour', { names: FLAVOUR_NAMES.join(', '), def: DEFAULT_FLAVOUR }))
    .option('--user <list>', t(lang, 'optUser'))
    .option('--lab-file <path>', t(lang, 'optLabFile', { def: DEFAULT_LAB_FILE }))
    .option('--no-lab-file', t(lang, 'optNoLabFile'));
  withVerbosity(withFormat(up, lang), lang).action(async (o: { scenario: string; flavour?: string; user?: string; labFile?: string | false } & FormatOpts) =>
      guarded(ctx, async () => {
        const json = await wantsJson(o, lang);
        const { labUp, assertRoot, parseFlavours, parseUsers } = await import('../../lab/index.js');
        // option errors first (exit 2), before asking for root
        const flavours = o.flavour !== undefined ? parseFlavours(o.flavour) : undefined;
        const users = o.user !== undefined ? parseUsers(o.user) : undefined;
        if (typeof o.labFile === 'string') (await import('../output-path.js')).checkOutputPath(o.labFile, '--lab-file', lang);
        assertRoot();
        const r = await labUp({
          scenario: o.scenario,
          flavours,
          users,
          log: json ? undefined : progress,
          labFile: o.labFile === false ? false : o.labFile,
        });
        if (json) {
          process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${t(lang, 'upDone', { scenario: r.scenario, seconds: (r.timings.totalMs / 1000).toFixed(1) })}\n`);
        if (r.labFile) process.stdout.write(`${t(lang, 'labFileWritten', { path: r.labFile })}\n`);
      }),
    );

  withVerbosity(withFormat(lab.command('down').description(t(lang, 'cmdDown')), lang), lang)
    .action(async (o: FormatOpts) =>
      guarded(ctx, async () => {
        const json = await wantsJson(o, lang);
        const { labDown, assertRoot } = await import('../../lab/index.js');
        assertRoot();
        const r = await labDown({ log: json ? () => undefined : progress });
        if (json) {
          process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${t(lang, 'downDone', { seconds: (r.totalMs / 1000).toFixed(1) })}\n`);
      }),
    );

  withFormat(lab.command('status').description(t(lang, 'cmdStatus')), lang)
    .action(async (o: FormatOpts) =>
      guarded(ctx, async () => {
        const json = await wantsJson(o, lang);
        const { labStatus, assertRoot } = await import('../../lab/index.js');
        assertRoot();
        const s = await labStatus();
        if (json) {
          process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
          return;
        }
        if (!s.up) {
          process.stdout.write(`${t(lang, 'statusDown')}${s.leftovers ? `\n${t(lang, 'statusLeftovers')}` : ''}\n`);
          return;
        }
        const lines = [t(lang, 'statusUp', { pid: s.libvirtd, netns: s.netns, scenario: s.scenario ?? '-' }), t(lang, 'statusNetworks')];
        for (const n of s.networks) lines.push(`  ${n.name.padEnd(16)} ${t(lang, n.active ? 'statusActive' : 'statusInactive')}`);
        lines.push(t(lang, 'statusGuests'));
        for (const g of s.guests) {
          const addr = g.ipv4.length ? g.ipv4.join(' ') : t(lang, 'statusNoAddress');
          lines.push(`  ${g.name.padEnd(14)} ${domainStateWord(lang, g.state).padEnd(11)} ${(g.flavour ?? '-').padEnd(16)} ${(g.network ?? '-').padEnd(16)} ${g.mac ?? '-'}  ${addr}`);
        }
        if (s.labFile) lines.push(t(lang, 'statusLabFile', { path: s.labFile }));
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );

  withFormat(lab.command('scenarios').description(t(lang, 'cmdScenarios')), lang)
    .action(async (o: FormatOpts) => {
      if (await wantsJson(o, lang)) {
        process.stdout.write(`${JSON.stringify(SCENARIOS, null, 2)}\n`);
        return;
      }
      const lines = Object.values(SCENARIOS).map((s) => {
        const guests = Object.entries(s.guests).map(([n, g]) => {
          const ip = g.ip.mode === 'static' ? g.ip.address : g.ip.mode;
          const knobs = [
            g.flavour ? `flavour:${g.flavour}` : '',
            g.firewall ? 'firewall' : '',
            g.ssh === false ? 'no-ssh' : '',
            g.staleLeaseFrom ? `stale-lease:${g.staleLeaseFrom}` : '',
          ].filter(Boolean);
          return `${n}@${g.network}(${ip}${knobs.length ? ` ${knobs.join(' ')}` : ''})`;
        });
        const nets = s.networks?.natDhcp === false ? ` [${t(lang, 'scenarioNatNoDhcp')}]` : '';
        return `${s.name}${nets}: ${guests.join(', ')}`;
      });
      lines.push(`${t(lang, 'scenarioFlavours')}: ${FLAVOUR_NAMES.join(', ')} (--flavour)`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
