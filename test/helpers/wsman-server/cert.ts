// A throw-away self-signed certificate for 127.0.0.1, made with the `openssl` CLI in a temp dir.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  cert: string;
  key: string;
  /** Directory holding cert.pem / key.pem (and openssl.cnf for pywinrm); removed by cleanup(). */
  dir: string;
  certFile: string;
  cleanup(): void;
}

export function makeSelfSignedCert(commonName = 'WIN10-LAB'): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'labgrade-wsman-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
      '-keyout', keyFile, '-out', certFile,
      '-subj', `/CN=${commonName}`,
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'pipe' },
  );
  return {
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    dir,
    certFile,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** An openssl.cnf activating the legacy provider (MD4 for NTLM) next to the default one. */
export function writeLegacyOpensslConf(dir: string): string {
  const file = join(dir, 'openssl-legacy.cnf');
  writeFileSync(
    file,
    [
      'openssl_conf = openssl_init',
      '[openssl_init]',
      'providers = provider_sect',
      '[provider_sect]',
      'default = default_sect',
      'legacy = legacy_sect',
      '[default_sect]',
      'activate = 1',
      '[legacy_sect]',
      'activate = 1',
      '',
    ].join('\n'),
  );
  return file;
}
