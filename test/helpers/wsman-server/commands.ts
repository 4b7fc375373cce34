// What the test server "runs": nothing is ever executed on this machine. A command line is parsed;
// `powershell[.exe] ... -EncodedCommand <base64>` is decoded (UTF-16LE) and answered by the handlers
// registered with server.onPowerShell (fixtures of realistic Windows outputs); a few harmless
// cmd.exe built-ins (echo, hostname) are emulated; anything else gets cmd's "not recognized" error.

/** What a PowerShell handler sees. */
export interface PowerShellRequest {
  /** The whole decoded -EncodedCommand text. */
  script: string;
  /** The script inside labgrade's `& { ... } 'arg' ...` wrapper (the whole text if not wrapped). */
  body: string;
  /** The single-quoted arguments after the wrapper, decoded. */
  args: string[];
  /** The full command line, for assertions. */
  commandLine: string;
}

/** How the emulated process behaves. */
export interface ProcessReply {
  stdout?: string | Buffer;
  /** Plain text, or CLIXML (see clixmlError) as powershell.exe writes it. */
  stderr?: string | Buffer;
  exitCode?: number;
  /** Output and exit come after this delay (Receive long-polls meanwhile). */
  delayMs?: number;
  /** The process never ends (Receive answers OperationTimeout faults) until Signal terminate. */
  runForever?: boolean;
  /** Every Receive returns another chunk of output, forever. */
  flood?: boolean;
  /** Receive requests for this command are never answered (a hung service). */
  hangReceive?: boolean;
  /** The service dies on the first Receive: every open connection is destroyed. */
  dieOnReceive?: boolean;
}

export type PowerShellHandler = (req: PowerShellRequest) => ProcessReply | undefined | Promise<ProcessReply | undefined>;

/** `powershell.exe` error stream as CLIXML, the way Windows PowerShell 5.1 writes it. */
export function clixmlError(message: string, progress = true): string {
  const esc = (s: string) =>
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_')
      .replace(/\r/g, '_x000D_')
      .replace(/\n/g, '_x000A_');
  const prog = progress
    ? '<Obj S="progress" RefId="0"><TN RefId="0"><T>System.Management.Automation.PSCustomObject</T><T>System.Object</T></TN><MS><I64 N="SourceId">1</I64><PR N="Record"><AV>Preparando módulos para el primer uso.</AV><AI>0</AI><Nil /><PI>-1</PI><PC>-1</PC><T>Completed</T><SR>-1</SR><SD> </SD></PR></MS></Obj>'
    : '';
  const lines = message.split('\n').map((l) => `<S S="Error">${esc(`${l}\r\n`)}</S>`);
  return `#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">${prog}${lines.join('')}</Objs>`;
}

/** Splits a Windows command line the simple way (WinRM clients never quote base64). */
function tokens(commandLine: string): string[] {
  return commandLine.split(/\s+/).filter(Boolean);
}

const QUOTES = "'\u2018\u2019\u201a\u201b";

/** Parses `& {\n<body>\n} 'a' 'b''c'` at the end of the script; null when the script is not wrapped. */
export function parseWrapped(script: string): { body: string; args: string[] } | null {
  const start = script.indexOf('\n& {\n');
  if (start < 0) return null;
  const end = script.lastIndexOf('\n}');
  if (end < start) return null;
  const body = script.slice(start + 5, end);
  const tail = script.slice(end + 2).replace(/\r?\n$/, '');
  const args: string[] = [];
  let i = 0;
  while (i < tail.length) {
    if (tail[i] === ' ') {
      i++;
      continue;
    }
    if (!QUOTES.includes(tail[i]!)) return null;
    i++;
    let value = '';
    for (;;) {
      if (i >= tail.length) return null;
      const c = tail[i]!;
      if (QUOTES.includes(c)) {
        if (i + 1 < tail.length && QUOTES.includes(tail[i + 1]!)) {
          value += tail[i + 1];
          i += 2;
          continue;
        }
        i++;
        break;
      }
      value += c;
      i++;
    }
    args.push(value);
  }
  return { body, args };
}

/** Recognizes `powershell[.exe] ... -EncodedCommand|-enc|-e <base64>`; returns the decoded script. */
export function decodePowerShell(commandLine: string): string | null {
  const t = tokens(commandLine);
  const exe = (t[0] ?? '').toLowerCase().split(/[\\/]/).pop() ?? '';
  if (exe !== 'powershell' && exe !== 'powershell.exe') return null;
  for (let k = 1; k < t.length - 1; k++) {
    const flag = t[k]!.toLowerCase();
    if (flag === '-ec' || (flag.length >= 2 && '-encodedcommand'.startsWith(flag))) {
      const b64 = t[k + 1]!;
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null;
      return Buffer.from(b64, 'base64').toString('utf16le');
    }
  }
  return null;
}

/** cmd.exe built-ins the server emulates (pywinrm's run_cmd goes through cmd /c). */
export function emulateCmd(commandLine: string, computerName: string): ProcessReply {
  const t = tokens(commandLine);
  const name = (t[0] ?? '').toLowerCase();
  if (name === 'echo') {
    const rest = commandLine.trim().slice(4).trim();
    return { stdout: `${rest}\r\n`, exitCode: 0 };
  }
  if (name === 'hostname' || name === 'hostname.exe') return { stdout: `${computerName}\r\n`, exitCode: 0 };
  return {
    stderr: `"${t[0] ?? ''}" no se reconoce como un comando interno o externo,\r\nprograma o archivo por lotes ejecutable.\r\n`,
    exitCode: 9009,
  };
}
