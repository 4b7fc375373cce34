// commander prints some texts of its own (help headings, the help/version options, "(default: …)",
// parse errors). This puts them in the user's language: headings and option descriptions through
// its Help hooks, errors by recognising commander's fixed English messages and rewriting them
// from grader/i18n/<lang>/cli.ts (anything not recognised passes through unchanged).
import { Help, type Command, type Option, type Argument } from 'commander';
import type { Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/cli.js';
import en from '../i18n/en/cli.js';
import { errorOutput } from './io.js';

const t = translator(es, en);

const TITLES: Record<string, keyof typeof es> = {
  'Usage:': 'cmd.usage',
  'Options:': 'cmd.options',
  'Commands:': 'cmd.commands',
  'Arguments:': 'cmd.arguments',
  'Global Options:': 'cmd.globalOptions',
};

/**
 * Rewrites commander's "(default: x, choices: y)" suffix. An empty list default (a repeatable
 * option such as init's --vm) says nothing: it is dropped.
 */
function localizeExtra(text: string, lang: Lang): string {
  return text.replace(/ ?\(default: \[\]\)$/, '').replace(/\((?:(?:default|choices|preset|env): [^()]*?)\)$/, (whole) =>
    whole.replace(/\b(default|choices): ((?:"[^"]*"|[^,)])*)/g, (_m, kind: string, value: string) =>
      t(lang, kind === 'default' ? 'cmd.default' : 'cmd.choices', { value }),
    ),
  );
}

/** Placeholder words (<file>, [options], <dirs...>) in the user's language: grader/i18n/<lang>/cli.ts `ph.<word>`. */
export function localizePlaceholders(text: string, lang: Lang): string {
  if (lang === 'en') return text;
  return text.replace(/([<[])([^<>[\]]+)([>\]])/g, (whole, open: string, inner: string, close: string) => {
    // Literal values the user types (text|json, id|all|auto, K/N) stay as they are.
    if (inner.includes('|') || inner.includes('/')) return whole;
    const out = inner.replace(/[a-z]+(?:\.yaml)?/gi, (w) => {
      const key = `ph.${w}` as keyof typeof es;
      return Object.hasOwn(es, key) ? t(lang, key) : w;
    });
    return `${open}${out}${close}`;
  });
}

/** The same error in the user's language (commander's message format, v14). */
export function localizeError(message: string, lang: Lang): string {
  const [first = '', ...rest] = message.replace(/\n$/, '').split('\n');
  const ph = (s: string | undefined): string => localizePlaceholders(s ?? '', lang);
  const rules: [RegExp, (m: RegExpMatchArray) => string][] = [
    [/^error: missing required argument '(.+)'$/, (m) => t(lang, 'cmd.missingArgument', { name: ph(`<${m[1]}>`).slice(1, -1) })],
    [/^error: option '(.+)' argument missing$/, (m) => t(lang, 'cmd.optionArgumentMissing', { flags: ph(m[1]) })],
    [/^error: required option '(.+)' not specified$/, (m) => t(lang, 'cmd.requiredOption', { flags: ph(m[1]) })],
    [/^error: unknown option '(.+)'$/, (m) => t(lang, 'cmd.unknownOption', { flag: m[1] })],
    [/^error: unknown command '(.+)'$/, (m) => t(lang, 'cmd.unknownCommand', { name: m[1] })],
    [
      /^error: too many arguments(?: for '(.+)')?\. Expected (\d+) arguments? but got (\d+)\.$/,
      (m) => t(lang, 'cmd.tooManyArguments', { forCommand: m[1] ? t(lang, 'cmd.tooManyArgumentsFor', { name: m[1] }) : '', expected: m[2], got: m[3] }),
    ],
    [
      /^error: option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/,
      (m) => t(lang, 'cmd.invalidChoice', { flags: ph(m[1]), value: m[2], choices: m[3] }),
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
  program.helpCommand(`help ${localizePlaceholders('[command]', lang)}`, t(lang, 'cmd.helpCommand'));
  program.configureHelp({
    styleTitle: (s: string) => (TITLES[s] ? t(lang, TITLES[s]) : s),
    commandUsage(this: Help, cmd: Command) {
      return localizePlaceholders(Help.prototype.commandUsage.call(this, cmd), lang);
    },
    subcommandTerm(this: Help, cmd: Command) {
      return localizePlaceholders(Help.prototype.subcommandTerm.call(this, cmd), lang);
    },
    optionTerm(this: Help, option: Option) {
      return localizePlaceholders(Help.prototype.optionTerm.call(this, option), lang);
    },
    argumentTerm(this: Help, argument: Argument) {
      return localizePlaceholders(`<${Help.prototype.argumentTerm.call(this, argument)}>`, lang).slice(1, -1);
    },
    optionDescription(this: Help, option: Option) {
      return localizeExtra(Help.prototype.optionDescription.call(this, option), lang);
    },
    argumentDescription(this: Help, argument: Argument) {
      return localizeExtra(Help.prototype.argumentDescription.call(this, argument), lang);
    },
  });
  // Under --format json the error is printed by main.ts as a JSON object on stdout instead.
  program.configureOutput({
    outputError: (str, write) => (errorOutput.json ? undefined : write(localizeError(str, lang))),
    writeErr: (str) => (errorOutput.json ? undefined : process.stderr.write(str)),
  });
}
