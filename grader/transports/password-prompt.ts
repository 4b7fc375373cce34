// On a terminal, asks (without echo) for the WinRM passwords a lab file of one's own does not hold
// and LABGRADE_<ROLE>_PASSWORD does not give, before a check or doctor run starts connecting.
// Outside a terminal nothing is asked: the connection then says which variable to set.
import type { LabFile, Lang } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/transport.js';
import en from '../i18n/en/transport.js';
import { passwordEnvName, rememberPassword, selfCheckPassword } from './self-password.js';

const t = translator(es, en);

/** Reads one line from the terminal with echo off (raw mode); '' when the input ends. */
export function readHidden(question: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  return new Promise((resolve) => {
    output.write(question);
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding('utf8');
    let buf = '';
    const done = (value: string): void => {
      input.off('data', onData);
      input.setRawMode?.(wasRaw ?? false);
      input.pause();
      output.write('\n');
      resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n' || c === '\u0004') return done(buf);
        if (c === '\u0003') {
          done('');
          process.kill(process.pid, 'SIGINT');
          return;
        }
        if (c === '\u007f' || c === '\b') buf = buf.slice(0, -1);
        else buf += c;
      }
    };
    input.on('data', onData);
  });
}

/** The roles whose WinRM login needs a password that neither the file nor the environment gives. */
export function missingPasswords(lab: LabFile): { role: string; user: string; env: string }[] {
  if (lab.trust === 'student') return [];
  const out: { role: string; user: string; env: string }[] = [];
  for (const vm of Object.values(lab.vms)) {
    const w = vm.access.find((a) => a.kind === 'winrm' && !a.password);
    if (w && w.kind === 'winrm' && selfCheckPassword(vm.role, lab) === undefined) out.push({ role: vm.role, user: w.user, env: passwordEnvName(vm.role) });
  }
  return out;
}

/** Asks for each missing password when stdin and stderr are a terminal; otherwise does nothing. */
export async function askMissingPasswords(lab: LabFile, lang: Lang): Promise<void> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return;
  for (const m of missingPasswords(lab)) {
    const value = await readHidden(t(lang, 'passwordPrompt', m));
    if (value !== '') rememberPassword(m.role, value);
  }
}
