import type es from '../es/winrm.js';

export default {
  refused: 'connection refused on port {port} (is WinRM enabled? In the VM: winrm quickconfig)',
  unreachable: 'host unreachable: {detail}',
  timeout: 'no answer within {ms} ms',
  closed: 'the server closed the connection in the middle of a request ({detail})',
  tls: 'TLS error: {detail} (give the CA with ca_file in the winrm access of the VM in the lab file or, in a test lab only, insecure_skip_verify: true)',
  protocol: 'unexpected answer from the WinRM service: {detail}',
  httpStatus: 'the WinRM service answered HTTP {status}{detail}',
  authRejected: 'credentials rejected (HTTP 401) for user {user}',
  authNotOffered: 'the server does not offer {wanted} authentication (it offers: {offered})',
  basicOverHttp:
    'Basic authentication over plain HTTP would send the password in clear; set "scheme: https" or "auth: ntlm" in the winrm access of the VM in the lab file',
  unencryptedRefused:
    'the server refuses unencrypted messages (AllowUnencrypted=false); use NTLM (it encrypts messages) or HTTPS',
  fault: 'WinRM error {code}: {message}',
  accessDenied: 'access denied by WinRM ({message}); the user must be an administrator or in "Remote Management Users"',
  scriptTooLong: 'the PowerShell command line is {length} characters long and Windows accepts at most {max}; shorten the script',
  badArgument: 'argument {index} contains a NUL character',
  badOptions: 'invalid WinRM options: {detail}',
} satisfies Record<keyof typeof es, string>;
