// NTLM primitives against the test vectors of [MS-NLMP] section 4.2 (NTLMv2, 4.2.4) and the
// channel-binding example published by Microsoft's Open Specifications blog (2013-03-26).
import { expect } from 'chai';
import { Rc4, rc4Once } from '../../../grader/transports/winrm/crypto.js';
import {
  AvId,
  buildAuthenticate,
  buildNegotiate,
  channelBindingsHash,
  clientBlob,
  computeV2Response,
  fileTime,
  Flags,
  ntowfv2,
  parseAvPairs,
  parseChallenge,
  SessionSecurity,
  splitUser,
} from '../../../grader/transports/winrm/ntlm.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// 4.2.1 common values
const serverChallenge = hex('0123456789abcdef');
const clientChallenge = hex('aaaaaaaaaaaaaaaa');
const randomSessionKey = Buffer.alloc(16, 0x55);
// 4.2.4.3 CHALLENGE_MESSAGE
const challengeMsg = hex(`
  4e544c4d53535000 02000000 0c000c00 38000000 33828ae2 0123456789abcdef 0000000000000000
  24002400 44000000 060070170000000f 53006500 72007600 65007200
  02000c00 44006f006d00610069006e00 01000c00 530065007200760065007200 00000000`);
const targetInfo = hex('02000c0044006f006d00610069006e0001000c005300650072007600650072000000 0000');
const temp = hex(`0101000000000000 0000000000000000 aaaaaaaaaaaaaaaa 00000000
  02000c0044006f006d00610069006e0001000c005300650072007600650072000000 0000 00000000`);

describe('winrm/ntlm: [MS-NLMP] 4.2 test vectors', () => {
  it('RC4 matches the classic known-answer test and keeps its stream state', () => {
    expect(rc4Once(Buffer.from('Key'), Buffer.from('Plaintext')).toString('hex')).to.equal('bbf316e8d940af0ad3');
    const r = new Rc4(Buffer.from('Key'));
    const a = r.update(Buffer.from('Plain'));
    const b = r.update(Buffer.from('text'));
    expect(Buffer.concat([a, b]).toString('hex')).to.equal('bbf316e8d940af0ad3');
  });

  it('parses the CHALLENGE_MESSAGE of 4.2.4.3', () => {
    const ch = parseChallenge(challengeMsg);
    expect(ch.flags >>> 0).to.equal(0xe28a8233);
    expect(ch.serverChallenge.equals(serverChallenge)).to.equal(true);
    expect(ch.targetName.toString('utf16le')).to.equal('Server');
    expect(ch.targetInfo.equals(targetInfo)).to.equal(true);
    expect(ch.avPairs.map((p) => [p.id, p.value.toString('utf16le')])).to.deep.equal([
      [AvId.NbDomainName, 'Domain'],
      [AvId.NbComputerName, 'Server'],
    ]);
  });

  it('NTOWFv2 (4.2.4.1.1) uses MD4 without the OpenSSL legacy provider', async () => {
    expect((await ntowfv2('Password', 'User', 'Domain')).toString('hex')).to.equal('0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('builds the NTLMv2 temp blob, NTProofStr, session base key and LMv2 response (4.2.4.1.2-4.2.4.2)', async () => {
    const key = await ntowfv2('Password', 'User', 'Domain');
    const blob = clientBlob(Buffer.alloc(8), clientChallenge, targetInfo);
    expect(blob.toString('hex')).to.equal(temp.toString('hex'));
    const r = computeV2Response(key, serverChallenge, clientChallenge, blob, false);
    expect(r.ntProofStr.toString('hex')).to.equal('68cd0ab851e51c96aabc927bebef6a1c');
    expect(r.sessionBaseKey.toString('hex')).to.equal('8de40ccadbc14a82f15cb0ad0de95ca3');
    expect(r.lmChallengeResponse.toString('hex')).to.equal('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    // 4.2.4.2.3: EncryptedRandomSessionKey = RC4(KeyExchangeKey = SessionBaseKey, RandomSessionKey)
    expect(rc4Once(r.sessionBaseKey, randomSessionKey).toString('hex')).to.equal('c5dad2544fc9799094ce1ce90bc9d03e');
  });

  it('hashes channel bindings like the published tls-server-end-point example', () => {
    const appData = Buffer.concat([
      Buffer.from('tls-server-end-point:'),
      hex('ea05fefecc6b0bd571dbbc5baa3ed45386d0446835f7b74c85621b9983475f95'),
    ]);
    expect(channelBindingsHash(appData).toString('hex')).to.equal('6586e99d81c2fc984e47172fd4dd0310');
    expect(channelBindingsHash(null).equals(Buffer.alloc(16))).to.equal(true);
  });

  it('seals and signs "Plaintext" exactly like 4.2.4.4 and the peer unseals it', () => {
    const flags = 0xe28a8233;
    const client = new SessionSecurity(flags, randomSessionKey, 'client');
    const { sealed, signature } = client.wrap(Buffer.from('Plaintext', 'utf16le'));
    expect(sealed.toString('hex')).to.equal('54e50165bf1936dc996020c1811b0f06fb5f');
    expect(signature.toString('hex')).to.equal('010000007fb38ec5c55d497600000000');
    const server = new SessionSecurity(flags, randomSessionKey, 'server');
    expect(server.unwrap(sealed, signature).toString('utf16le')).to.equal('Plaintext');
  });

  it('keeps sequence numbers per direction and rejects tampered or replayed messages', () => {
    const flags = 0xe28a8233;
    const key = Buffer.alloc(16, 7);
    const client = new SessionSecurity(flags, key, 'client');
    const server = new SessionSecurity(flags, key, 'server');
    for (const text of ['one', 'two', 'three']) {
      const m = client.wrap(Buffer.from(text));
      expect(server.unwrap(m.sealed, m.signature).toString()).to.equal(text);
      const back = server.wrap(Buffer.from(`re:${text}`));
      expect(client.unwrap(back.sealed, back.signature).toString()).to.equal(`re:${text}`);
    }
    const m = client.wrap(Buffer.from('payload'));
    const tampered = Buffer.from(m.sealed);
    tampered[0] = tampered[0]! ^ 1;
    expect(() => server.unwrap(tampered, m.signature)).to.throw(/signature/);
  });

  it('builds an AUTHENTICATE message with MIC, channel bindings and an encrypted session key', async () => {
    // The 4.2.4.3 challenge plus a server timestamp: the client must then send a MIC and a zero LM response.
    const ts = fileTime(Date.UTC(2024, 0, 1));
    const pairs = parseAvPairs(targetInfo);
    const ti = Buffer.concat([
      ...pairs.flatMap((p) => {
        const h = Buffer.alloc(4);
        h.writeUInt16LE(p.id, 0);
        h.writeUInt16LE(p.value.length, 2);
        return [h, p.value];
      }),
      hex('07000800'),
      ts,
      Buffer.alloc(4),
    ]);
    const msg = Buffer.alloc(48 + ti.length);
    challengeMsg.copy(msg, 0, 0, 40);
    msg.writeUInt16LE(0, 12); // no target name
    msg.writeUInt16LE(0, 14);
    msg.writeUInt16LE(ti.length, 40);
    msg.writeUInt16LE(ti.length, 42);
    msg.writeUInt32LE(48, 44);
    ti.copy(msg, 48);
    const negotiate = buildNegotiate();
    const out = await buildAuthenticate({
      user: 'Domain\\User',
      password: 'Password',
      negotiate,
      challenge: parseChallenge(msg),
      channelBindings: null,
      spn: 'HTTP/Server',
      clientChallenge,
      exportedSessionKey: randomSessionKey,
    });
    const m = out.message;
    expect(m.readUInt32LE(8)).to.equal(3);
    expect(out.flags & Flags.KEY_EXCH).to.not.equal(0);
    expect(out.exportedSessionKey.equals(randomSessionKey)).to.equal(true);
    // LM response is Z(24) when the server sent a timestamp; the MIC is not zero.
    const lmLen = m.readUInt16LE(12);
    const lmOff = m.readUInt32LE(16);
    expect(m.subarray(lmOff, lmOff + lmLen).equals(Buffer.alloc(24))).to.equal(true);
    expect(m.subarray(72, 88).equals(Buffer.alloc(16))).to.equal(false);
    const ntLen = m.readUInt16LE(20);
    const ntOff = m.readUInt32LE(24);
    const blob = m.subarray(ntOff + 16, ntOff + ntLen);
    expect(blob.subarray(8, 16).equals(ts)).to.equal(true);
    const sent = parseAvPairs(blob.subarray(28));
    expect(sent.find((p) => p.id === AvId.Flags)?.value.readUInt32LE(0)).to.equal(2);
    expect(sent.find((p) => p.id === AvId.ChannelBindings)?.value.equals(Buffer.alloc(16))).to.equal(true);
    expect(sent.find((p) => p.id === AvId.TargetName)?.value.toString('utf16le')).to.equal('HTTP/Server');
    const userLen = m.readUInt16LE(36);
    const userOff = m.readUInt32LE(40);
    expect(m.subarray(userOff, userOff + userLen).toString('utf16le')).to.equal('User');
  });

  it('splits DOMAIN\\user and leaves other forms alone', () => {
    expect(splitUser('LAB\\alumno')).to.deep.equal({ domain: 'LAB', user: 'alumno' });
    expect(splitUser('alumno')).to.deep.equal({ domain: '', user: 'alumno' });
    expect(splitUser('alumno@lab.test')).to.deep.equal({ domain: '', user: 'alumno@lab.test' });
  });
});
