import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import {
  parseKnownHosts,
  checkHostKey,
  hostsFieldMatches,
  hostKeyName,
  preferredHostKeyAlgorithms,
  blobKeyType,
} from '../../../grader/transports/known-hosts.js';
import { parseSshConfig } from '../../../grader/transports/ssh-config.js';
import { shCommand, shQuote } from '../../../grader/transports/quote.js';

function blob(type: string, fill: number): Buffer {
  const t = Buffer.from(type);
  const b = Buffer.alloc(4 + t.length + 4 + 32);
  b.writeUInt32BE(t.length, 0);
  t.copy(b, 4);
  b.writeUInt32BE(32, 4 + t.length);
  b.fill(fill, 8 + t.length);
  return b;
}

describe('transports/known-hosts', () => {
  const k1 = blob('ssh-ed25519', 1);
  const k2 = blob('ssh-ed25519', 2);
  const r1 = blob('ssh-rsa', 3);

  it('names hosts as OpenSSH does', () => {
    expect(hostKeyName('10.0.0.1', 22)).to.equal('10.0.0.1');
    expect(hostKeyName('10.0.0.1', 2222)).to.equal('[10.0.0.1]:2222');
  });

  it('matches patterns, negations, brackets and hashed names', () => {
    expect(hostsFieldMatches('192.168.101.*,!192.168.101.5', '192.168.101.7')).to.equal(true);
    expect(hostsFieldMatches('192.168.101.*,!192.168.101.5', '192.168.101.5')).to.equal(false);
    expect(hostsFieldMatches('[10.0.0.?]:2222', '[10.0.0.1]:2222')).to.equal(true);
    expect(hostsFieldMatches('[10.0.0.?]:2222', '10.0.0.1')).to.equal(false);
    expect(hostsFieldMatches('Web.Example', 'web.example')).to.equal(true);
    const salt = Buffer.from('0123456789abcdefghij');
    const h = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('10.1.1.1').digest('base64')}`;
    expect(hostsFieldMatches(h, '10.1.1.1')).to.equal(true);
    expect(hostsFieldMatches(h, '10.1.1.2')).to.equal(false);
  });

  it('match / changed (same type, other key) / unknown (other type only) / revoked; cert-authority skipped', () => {
    const text = [
      '# comment',
      '@cert-authority * ssh-ed25519 ' + k2.toString('base64'),
      `10.0.0.1 ssh-ed25519 ${k1.toString('base64')}`,
      `10.0.0.2 ssh-ed25519 ${k2.toString('base64')} comment here`,
      `10.0.0.3 ssh-rsa ${r1.toString('base64')}`,
      '@revoked 10.0.0.9 ssh-ed25519 ' + k1.toString('base64'),
      '@weird x y z',
    ].join('\n');
    const e = parseKnownHosts(text, '/kh');
    expect(e.map((x) => x.line)).to.deep.equal([2, 3, 4, 5, 6]);
    expect(checkHostKey(e, '10.0.0.1', 22, k1).status).to.equal('match');
    const ch = checkHostKey(e, '10.0.0.2', 22, k1);
    expect(ch.status).to.equal('changed');
    expect(ch.status === 'changed' && ch.entries[0]!.line).to.equal(4);
    expect(checkHostKey(e, '10.0.0.3', 22, k1).status).to.equal('unknown');
    expect(checkHostKey(e, '10.0.0.4', 22, k2).status).to.equal('unknown');
    expect(checkHostKey(e, '10.0.0.1', 2222, k1).status).to.equal('unknown');
    expect(checkHostKey(e, '10.0.0.1', 22, k1).status).to.equal('match');
    expect(checkHostKey(e, '10.0.0.9', 22, k1).status).to.equal('revoked');
    expect(blobKeyType(k1)).to.equal('ssh-ed25519');
    expect(preferredHostKeyAlgorithms(e.filter((x) => x.line === 5))).to.deep.equal(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});

describe('transports/ssh-config subset', () => {
  const text = [
    'User defaultuser',
    'Host debian12 deb',
    '  HostName 192.168.101.218',
    '  Port 2222',
    '  IdentityFile ~/.ssh/id_lab',
    '  IdentityFile "/keys/%h key"',
    '  ForwardAgent yes',
    'Host *',
    '  User other',
    '  Port 22',
    '  IdentityFile ~/.ssh/id_all',
    'Match host x',
    '  User matched',
  ].join('\n');

  it('first value wins, IdentityFile accumulates, unsupported keywords listed', () => {
    const e = parseSshConfig(text, 'debian12');
    expect(e.hostName).to.equal('192.168.101.218');
    expect(e.user).to.equal('defaultuser');
    expect(e.port).to.equal(2222);
    expect(e.identityFiles).to.deep.equal(['~/.ssh/id_lab', '/keys/%h key', '~/.ssh/id_all']);
    expect(e.ignored).to.include('ForwardAgent').and.include('Match');
  });

  it('a host that matches only `*`', () => {
    const e = parseSshConfig(text, 'win10');
    expect(e.hostName).to.equal(undefined);
    expect(e.port).to.equal(22);
  });

  it('Key=Value syntax and negated patterns', () => {
    const e = parseSshConfig('Host *.lab !bad.lab\nPort=2200\n', 'bad.lab');
    expect(e.port).to.equal(undefined);
    expect(parseSshConfig('Host *.lab !bad.lab\nPort=2200\n', 'ok.lab').port).to.equal(2200);
  });
});

describe('transports/quote', () => {
  it('single-quotes every argument', () => {
    expect(shQuote("it's")).to.equal(`'it'\\''s'`);
    expect(shCommand('echo "$1"', ['$(id)', 'a b'])).to.equal(`sh -c 'echo "$1"' sh '$(id)' 'a b'`);
    expect(() => shQuote('a\0b')).to.throw();
  });
});
