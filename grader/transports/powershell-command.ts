// How a PowerShell script with positional arguments becomes one process invocation for the
// transports that start a process themselves (SSH to OpenSSH for Windows, the guest agent's
// guest-exec). The encoding and the argument quoting are the WinRM client's (winrm/powershell.ts),
// so every transport runs exactly the same PowerShell text.
import { decodeClixml, powershellCommand } from './winrm/powershell.js';

export const POWERSHELL_EXE = 'powershell.exe';

/** Argument vector after the program name (`-NoProfile ... -EncodedCommand <base64>`). */
export function powershellArgs(script: string, args: readonly string[]): string[] {
  return powershellCommand(script, args).args;
}

/** One command line (for an SSH exec request; Windows' OpenSSH hands it to its default shell). */
export function powershellCommandLine(script: string, args: readonly string[]): string {
  const c = powershellCommand(script, args);
  return [c.command, ...c.args].join(' ');
}

/** powershell.exe writes its error stream as CLIXML when stdout is not a console. */
export function readableStderr(stderr: string): string {
  return decodeClixml(stderr);
}
