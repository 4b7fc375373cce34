// Runs Debian's pywinrm (python3-winrm, the independent reference client) against the test server.
// /usr/bin/python3 is used on purpose (another python3 on PATH may not see Debian's packages), with
// OPENSSL_CONF activating OpenSSL's legacy provider because ntlm-auth needs MD4 from hashlib.
import { execFile } from 'node:child_process';

export interface PyWinRmRun {
  endpoint: string;
  user: string;
  password: string;
  transport: 'ntlm' | 'ssl' | 'basic' | 'plaintext';
  /**
   * 'cmd' runs Session.run_cmd(command, args); 'ps' runs Session.run_ps(script); 'psraw' sends the
   * same `powershell -encodedcommand` line through run_cmd and returns stderr untouched (pywinrm
   * 0.3.0's run_ps crashes on Python 3 when stderr is not empty: it calls str methods on bytes).
   */
  mode: 'cmd' | 'ps' | 'psraw';
  command: string;
  args?: string[];
  /** CA file for HTTPS validation ('ignore' = no validation). */
  ca?: string | 'ignore';
  messageEncryption?: 'auto' | 'always' | 'never';
  opensslConf: string;
}

export interface PyWinRmResult {
  ok: boolean;
  status?: number;
  stdout?: string;
  stderr?: string;
  error?: string;
}

const SCRIPT = `
import json, sys, winrm, base64
p = json.loads(sys.stdin.read())
kw = dict(auth=(p['user'], p['password']), transport=p['transport'], message_encryption=p['enc'])
if p['ca'] == 'ignore':
    kw['server_cert_validation'] = 'ignore'
elif p['ca']:
    kw['ca_trust_path'] = p['ca']
try:
    s = winrm.Session(p['endpoint'], **kw)
    if p['mode'] == 'cmd':
        r = s.run_cmd(p['command'], p['args'])
    elif p['mode'] == 'ps':
        r = s.run_ps(p['command'])
    else:
        r = s.run_cmd('powershell -encodedcommand %s' % base64.b64encode(p['command'].encode('utf_16_le')).decode('ascii'))
    err = r.std_err.decode('utf-8', 'replace') if isinstance(r.std_err, bytes) else r.std_err
    print(json.dumps(dict(ok=True, status=r.status_code, stdout=r.std_out.decode('utf-8', 'replace'), stderr=err)))
except Exception as e:
    print(json.dumps(dict(ok=False, error='%s: %s' % (type(e).__name__, e))))
`;

export function runPyWinRm(o: PyWinRmRun): Promise<PyWinRmResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      '/usr/bin/python3',
      ['-c', SCRIPT],
      {
        env: { PATH: '/usr/bin:/bin', OPENSSL_CONF: o.opensslConf, NO_PROXY: '*', no_proxy: '*' },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(line) as PyWinRmResult);
        } catch {
          reject(new Error(`pywinrm did not answer: ${err?.message ?? ''} ${stderr}`));
        }
      },
    );
    child.stdin!.end(
      JSON.stringify({
        endpoint: o.endpoint,
        user: o.user,
        password: o.password,
        transport: o.transport,
        mode: o.mode,
        command: o.command,
        args: o.args ?? [],
        ca: o.ca ?? null,
        enc: o.messageEncryption ?? 'auto',
      }),
    );
  });
}
