// The test server's NTLM verification must be strict, or the cross-checks prove nothing.
import { expect } from 'chai';
import { buildAuthenticate, buildNegotiate, parseChallenge, SessionSecurity } from '../../../grader/transports/winrm/ntlm.js';
import { buildServerChallenge, verifyAuthenticate } from '../../helpers/wsman-server/ntlm-server.js';

const accounts = [{ user: 'Alumno', password: 'Contraseña.2024' }];
const cbt = Buffer.concat([Buffer.from('tls-server-end-point:'), Buffer.alloc(32, 0xab)]);

async function handshake(opts: { password?: string; user?: string; clientCbt?: Buffer | null } = {}) {
  const negotiate = buildNegotiate();
  const state = buildServerChallenge(negotiate, 'WIN10-LAB');
  const auth = await buildAuthenticate({
    user: opts.user ?? 'WIN10-LAB\\alumno',
    password: opts.password ?? 'Contraseña.2024',
    negotiate,
    challenge: parseChallenge(state.challenge),
    channelBindings: opts.clientCbt === undefined ? null : opts.clientCbt,
    spn: 'HTTP/127.0.0.1',
  });
  return { state, auth };
}

describe('winrm test server: NTLM verification', () => {
  it('accepts the right password (user case-insensitive) and derives the same session keys', async () => {
    const { state, auth } = await handshake();
    const v = await verifyAuthenticate(state, auth.message, accounts, null);
    expect(v.ok).to.equal(true);
    if (!v.ok) return;
    expect(v.user).to.equal('alumno');
    expect(v.domain).to.equal('WIN10-LAB');
    const client = new SessionSecurity(auth.flags, auth.exportedSessionKey, 'client');
    const server = new SessionSecurity(v.flags, v.exportedSessionKey, 'server');
    const m = client.wrap(Buffer.from('<s:Envelope/>'));
    expect(server.unwrap(m.sealed, m.signature).toString()).to.equal('<s:Envelope/>');
  });

  it('rejects a wrong password and an unknown user', async () => {
    const a = await handshake({ password: 'contraseña.2024' });
    expect(await verifyAuthenticate(a.state, a.auth.message, accounts, null)).to.deep.equal({ ok: false, reason: 'wrong password' });
    const b = await handshake({ user: 'intruso' });
    expect(await verifyAuthenticate(b.state, b.auth.message, accounts, null)).to.deep.equal({ ok: false, reason: 'unknown user' });
  });

  it('rejects a tampered MIC or a replay against another challenge', async () => {
    const { state, auth } = await handshake();
    const tampered = Buffer.from(auth.message);
    tampered[80] = tampered[80]! ^ 1;
    expect(await verifyAuthenticate(state, tampered, accounts, null)).to.deep.equal({ ok: false, reason: 'MIC does not match' });
    const other = buildServerChallenge(buildNegotiate(), 'WIN10-LAB');
    expect((await verifyAuthenticate(other, auth.message, accounts, null)).ok).to.equal(false);
  });

  it('checks channel bindings when the client sends them', async () => {
    const good = await handshake({ clientCbt: cbt });
    const ok = await verifyAuthenticate(good.state, good.auth.message, accounts, cbt);
    expect(ok.ok && ok.channelBound).to.equal(true);
    const wrong = await handshake({ clientCbt: Buffer.concat([cbt.subarray(0, 21), Buffer.alloc(32, 0xcd)]) });
    expect(await verifyAuthenticate(wrong.state, wrong.auth.message, accounts, cbt)).to.deep.equal({
      ok: false,
      reason: 'channel bindings do not match',
    });
    // No bindings from the client (zeros) is accepted, as with Windows' default "Relaxed" hardening.
    const none = await handshake();
    const relaxed = await verifyAuthenticate(none.state, none.auth.message, accounts, cbt);
    expect(relaxed.ok && !relaxed.channelBound).to.equal(true);
  });
});
