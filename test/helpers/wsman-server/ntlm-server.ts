// The server side of NTLMv2 ([MS-NLMP] 3.2): builds the CHALLENGE_MESSAGE (with a timestamp, so
// clients must send a MIC) and verifies an AUTHENTICATE_MESSAGE against a configured user and
// password: NTProofStr, the MIC over the three messages, channel bindings when present, then derives
// the exported session key for sealing. Message layout is parsed here independently of the
// client's builder; only the primitives (NTOWFv2, HMAC, RC4, key derivation) are shared.
import { randomBytes } from 'node:crypto';
import { hmacMd5, rc4Once, sameBytes } from '../../../grader/transports/winrm/crypto.js';
import {
  AV_FLAG_MIC_PRESENT,
  AvId,
  channelBindingsHash,
  fileTime,
  Flags,
  layoutFields,
  messageType,
  ntowfv2,
  parseAvPairs,
  readField,
  serializeAvPairs,
  SIGNATURE,
  utf16,
} from '../../../grader/transports/winrm/ntlm.js';

const SERVER_SUPPORTED =
  (Flags.UNICODE |
    Flags.REQUEST_TARGET |
    Flags.SIGN |
    Flags.SEAL |
    Flags.NTLM |
    Flags.ALWAYS_SIGN |
    Flags.EXTENDED_SESSIONSECURITY |
    Flags.TARGET_INFO |
    Flags.VERSION |
    Flags.NEGOTIATE_128 |
    Flags.KEY_EXCH |
    Flags.NEGOTIATE_56) >>>
  0;

export interface ServerChallengeState {
  negotiate: Buffer;
  challenge: Buffer;
  serverChallenge: Buffer;
  flags: number;
}

/** CHALLENGE_MESSAGE for a stand-alone Windows computer (NetBIOS domain = computer name). */
export function buildServerChallenge(negotiate: Buffer, computerName: string): ServerChallengeState {
  if (messageType(negotiate) !== 1 || negotiate.length < 16) throw new Error('expected an NTLM NEGOTIATE message');
  const clientFlags = negotiate.readUInt32LE(12);
  if (!(clientFlags & Flags.EXTENDED_SESSIONSECURITY)) throw new Error('client did not ask for extended session security');
  const flags = ((clientFlags & SERVER_SUPPORTED) | Flags.TARGET_INFO | Flags.TARGET_TYPE_SERVER | Flags.UNICODE) >>> 0;
  const name = computerName.toUpperCase();
  const targetInfo = serializeAvPairs([
    { id: AvId.NbDomainName, value: utf16(name) },
    { id: AvId.NbComputerName, value: utf16(name) },
    { id: AvId.DnsDomainName, value: utf16(computerName.toLowerCase()) },
    { id: AvId.DnsComputerName, value: utf16(computerName.toLowerCase()) },
    { id: AvId.Timestamp, value: fileTime() },
  ]);
  const serverChallenge = randomBytes(8);
  const header = Buffer.alloc(56);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(2, 8);
  header.writeUInt32LE(flags, 20);
  serverChallenge.copy(header, 24);
  Buffer.from([10, 0, 0x61, 0x4a, 0, 0, 0, 15]).copy(header, 48);
  const challenge = layoutFields(header, [12, 40], [utf16(name), targetInfo]);
  return { negotiate, challenge, serverChallenge, flags };
}

export type VerifyResult =
  | { ok: true; user: string; domain: string; flags: number; exportedSessionKey: Buffer; channelBound: boolean }
  | { ok: false; reason: string };

export interface Account {
  user: string;
  password: string;
}

/**
 * Verifies an AUTHENTICATE_MESSAGE. `channelBindings` is the server's own `tls-server-end-point`
 * data over HTTPS (null over HTTP): a non-zero client binding must match it.
 */
export async function verifyAuthenticate(
  state: ServerChallengeState,
  msg: Buffer,
  accounts: Account[],
  channelBindings: Buffer | null,
): Promise<VerifyResult> {
  try {
    if (messageType(msg) !== 3 || msg.length < 64) return { ok: false, reason: 'not an AUTHENTICATE message' };
    const flags = msg.readUInt32LE(60);
    if (!(flags & Flags.UNICODE)) return { ok: false, reason: 'OEM strings are not supported' };
    const nt = readField(msg, 20);
    const domain = readField(msg, 28).toString('utf16le');
    const user = readField(msg, 36).toString('utf16le');
    const encKey = readField(msg, 52);
    if (nt.length < 48) return { ok: false, reason: 'not an NTLMv2 response' };
    const account = accounts.find((a) => a.user.toLowerCase() === user.toLowerCase());
    if (!account) return { ok: false, reason: 'unknown user' };
    const proof = nt.subarray(0, 16);
    const blob = nt.subarray(16);
    if (blob[0] !== 1 || blob[1] !== 1) return { ok: false, reason: 'bad NTLMv2 blob version' };
    const key = await ntowfv2(account.password, user, domain);
    const expected = hmacMd5(key, state.serverChallenge, blob);
    if (!sameBytes(expected, proof)) return { ok: false, reason: 'wrong password' };
    const sessionBaseKey = hmacMd5(key, proof);
    let exportedSessionKey = sessionBaseKey;
    if (flags & Flags.KEY_EXCH) {
      if (encKey.length !== 16) return { ok: false, reason: 'missing encrypted session key' };
      exportedSessionKey = rc4Once(sessionBaseKey, encKey);
    }
    const pairs = parseAvPairs(blob.subarray(28));
    const avFlags = pairs.find((p) => p.id === AvId.Flags)?.value;
    if (avFlags && avFlags.length === 4 && avFlags.readUInt32LE(0) & AV_FLAG_MIC_PRESENT) {
      // The MIC sits after the Version field at offset 72 when present.
      if (msg.length < 88) return { ok: false, reason: 'MIC announced but missing' };
      const mic = Buffer.from(msg.subarray(72, 88));
      const zeroed = Buffer.from(msg);
      zeroed.fill(0, 72, 88);
      const want = hmacMd5(exportedSessionKey, state.negotiate, state.challenge, zeroed);
      if (!sameBytes(mic, want)) return { ok: false, reason: 'MIC does not match' };
    }
    const cbt = pairs.find((p) => p.id === AvId.ChannelBindings)?.value;
    const channelBound = Boolean(cbt && !cbt.equals(Buffer.alloc(16)));
    if (cbt && channelBound) {
      const want = channelBindingsHash(channelBindings);
      if (!channelBindings || !sameBytes(cbt, want)) return { ok: false, reason: 'channel bindings do not match' };
    }
    return { ok: true, user, domain, flags, exportedSessionKey, channelBound };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}
