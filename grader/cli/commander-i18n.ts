// commander prints some texts of its own (help headings, the help/version options, "(default: …)",
// parse errors). This puts them in the user's language: headings and option descriptions through
// its Help hooks, errors by recognising commander's fixed English messages and rewriting them
// from grader/i18n/<lang>/cli.ts (anything not recognised passes through unchanged).
import { Help, type Command, type Option, type Argument } from 'commander';
import type { Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/cli.js';
import en from '../i18n/en/cli.js';

const t = translator(es, en);

const TITLES: Record<string, keyof typeof es> = {
  'Usage:': 'cmd.usage',
  'Options:': 'cmd.options',
  'Commands:': 'cmd.commands',
  'Arguments:': 'cmd.arguments',
  'Global Options:': 'cmd.globalOptions',
};

/** Rewrites commander's "(default: x, choices: y)" suffix. */
function localizeExtra(text: string, lang: Lang): string {
  return text.replace(/\((?:(?:default|choices|preset|env): [^()]*?)\)$/, (whole) =>
    whole.replace(/\b(default|choices): ((?:"[^"]*"|[^,)])*)/g, (_m, kind: string, value: string) =>
      t(lang, kind === 'default' ? 'cmd.default' : 'cmd.choices', { value }),
    ),
  );
}

/** The same error in the user's language (commander's message format, v14). */
export function localizeError(message: string, lang: Lang): string {
  const [first = '', ...rest] = message.replace(/\n$/, '').split('\n');
  const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
    [/^error: missing required argument '(.+)'$/, (m) => t(lang, 'cmd.missingArgument', { name: m[1] })],
    [/^error: option '(.+)' argument missing$/, (m) => t(lang, 'cmd.optionArgumentMissing', { flags: m[1] })],
    [/^error: required option '(.+)' not specified$/, (m) => t(lang, 'cmd.requiredOption', { flags: m[1] })],
    [/^error: unknown option '(.+)'$/, (m) => t(lang, 'cmd.unknownOption', { flag: m[1] })],
    [/^error: unknown command '(.+)'$/, (m) => t(lang, 'cmd.unknownCommand', { name: m[1] })],
    [
      /^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
      (m) => t(lang, 'cmd.tooManyArguments', { forCommand: m[1] ? t(lang, 'cmd.tooManyArgumentsFor', { name: m[1] }) : '', expected: m[2], got: m[3] }),
    ],
    [
      /^error: option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/,
      (m) => t(lang, 'cmd.invalidChoice', { flags: m[1], value: m[2], choices: m[3] }),
    ],
  ];
  let head = first;
  for (const [re, fn] of rules) {
    const m = first.match(re);
    if (m) {
      head = fn(m);
      break;
    }
  }
  const tail = rest.map((line) => {
    const one = line.match(/^\(Did you mean (.+)\?\)$/);
    if (one && !one[1]!.startsWith('one of ')) return t(lang, 'cmd.didYouMean', { guess: one[1] });
    const many = line.match(/^\(Did you mean one of (.+)\?\)$/);
    if (many) return t(lang, 'cmd.didYouMeanOneOf', { guesses: many[1] });
    if (line === '(add --help for additional information)') return t(lang, 'cmd.seeHelp');
    return line;
  });
  return `${[head, ...tail].join('\n')}\n`;
}

/** Call on the root command before any subcommand is added (commander copies these settings down). */
export function localizeCommander(program: Command, lang: Lang): void {
  program.helpOption('-h, --help', t(lang, 'cmd.help'));
  program.helpCommand('help [command]', t(lang, 'cmd.helpCommand'));
  program.configureHelp({
    styleTitle: (s: string) => (TITLES[s] ? t(lang, TITLES[s]) : s),
    commandUsage(this: Help, cmd: Command) {
      const usage = Help.prototype.commandUsage.call(this, cmd);
      return lang === 'es' ? usage.replace('[options]', '[opciones]').replace('[command]', '[orden]') : usage;
    },
    optionDescription(this: Help, option: Option) {
      return localizeExtra(Help.prototype.optionDescription.call(this, option), lang);
    },
    argumentDescription(this: Help, argument: Argument) {
      return localizeExtra(Help.prototype.argumentDescription.call(this, argument), lang);
    },
  });
  program.configureOutput({ outputError: (str, write) => write(localizeError(str, lang)) });
}
