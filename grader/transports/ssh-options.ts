// SshOptions (ssh2 settings) from a lab file's `ssh:` access: the ssh config subset, secrets
// resolved, OpenSSH's defaults where nothing is said.
import { dirname } from 'node:path';
import type { LabFile, Lang, SshAccess } from '../types.js';
import { resolveSecret, type Secrets } from '../inputs/secrets.js';
import { defaultIdentityFiles, type SshOptions } from './ssh.js';
import { expandTokens, loadSshConfig } from './ssh-config.js';

/** SshOptions from a lab file's ssh access (ssh config subset, secrets resolved, defaults). */
export async function sshOptions(a: SshAccess, host: string, lab: LabFile, lang: Lang, secrets?: Secrets): Promise<SshOptions> {
  let user = a.user;
  let port = a.port;
  let realHost = host;
  let keyFiles: string[] = a.keyFile ? [a.keyFile] : [];
  if (a.configHost) {
    const c = await loadSshConfig(a.configHost);
    // The lab file wins where it says something other than the defaults.
    if (c.user && a.user === 'root') user = c.user;
    if (c.port && a.port === 22) port = c.port;
    if (c.hostName && !a.host) realHost = expandTokens(c.hostName, { host: a.configHost, port, user });
    if (keyFiles.length === 0) keyFiles = c.identityFiles.map((f) => expandTokens(f, { host: realHost, port, user }));
  }
  let password: string | undefined;
  if (a.password) {
    password = await resolveSecret(a.password, dirname(lab.file), { lang, where: `ssh ${user}@${realHost}`, ...(secrets ? { secrets } : {}) });
  }
  const agentSocket = a.useAgent ? process.env.SSH_AUTH_SOCK : undefined;
  // A student's lab never falls back to the teacher's own keys: the roster's credentials say which.
  if (keyFiles.length === 0 && password === undefined && !agentSocket && lab.trust !== 'student') keyFiles = defaultIdentityFiles();
  const o: SshOptions = {
    host: realHost,
    port,
    user,
    keyFiles,
    acceptNewHostKey: a.acceptNewHostKey,
    lang,
  };
  if (password !== undefined) o.password = password;
  if (agentSocket) o.agentSocket = agentSocket;
  if (a.knownHostsFile) o.knownHostsFiles = [a.knownHostsFile];
  return o;
}
