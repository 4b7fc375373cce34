// How a PowerShell script with positional arguments becomes one process invocation
// (`powershell.exe -NoProfile -NonInteractive -EncodedCommand ...`), for the transports that start
// a process themselves (SSH to OpenSSH for Windows, the guest agent's guest-exec). The arguments
// travel base64-encoded inside the encoded command and reach the script as `$args`, so no argument
// text is ever parsed as PowerShell.
import { encodePowerShellArgv } from './ps-encode.js';

export const POWERSHELL_EXE = 'powershell.exe';

/** Argument vector after the program name. */
export function powershellArgs(script: string, args: readonly string[]): string[] {
  return encodePowerShellArgv(script, args);
}

/** One command line (for an SSH exec request; Windows' OpenSSH hands it to its default shell). */
export function powershellCommandLine(script: string, args: readonly string[]): string {
  return [POWERSHELL_EXE, ...powershellArgs(script, args)].join(' ');
}
