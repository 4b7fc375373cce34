// PowerShell -EncodedCommand with data-only arguments. Interim home: once the WinRM client's
// grader/transports/winrm/powershell.ts provides the same encoding, this module re-exports it.

function b64utf8(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/** The script wrapped so that `$args` holds the arguments, decoded from base64 at run time. */
export function wrapPowerShell(script: string, args: readonly string[]): string {
  const list = args.map((a) => `[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${b64utf8(a)}'))`).join(',');
  return `$ProgressPreference='SilentlyContinue'\n$__lgArgs=@(${list})\n& {\n${script}\n} @__lgArgs\n`;
}

/** UTF-16LE base64 of a script, as `-EncodedCommand` wants it. */
export function encodeCommand(script: string): string {
  return Buffer.from(script, 'utf16le').toString('base64');
}

export function encodePowerShellArgv(script: string, args: readonly string[]): string[] {
  return ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encodeCommand(wrapPowerShell(script, args))];
}
