// The WinRM transport: `connectWinRm(opts)` returns a Connection that runs PowerShell on a Windows
// guest. Written from [MS-WSMV] and [MS-NLMP]; see README section "winrm".
export { connectWinRm, WinRmConnection, type WinRmOptions } from './connection.js';
export { decodeClixml, psQuote, wrapScript } from './powershell.js';
