// NTLMv2 as specified in [MS-NLMP]: the three messages (NEGOTIATE, CHALLENGE, AUTHENTICATE), the
// NTLMv2 response (NTOWFv2, NTProofStr, session base key), key exchange, the MIC, channel bindings
// (Extended Protection over HTTPS) and session security (SIGN + SEAL with extended session
// security, 128-bit keys, key exchange), which WinRM's HTTP message encryption builds on.
// Section numbers refer to [MS-NLMP]; test vectors of section 4.2 are in test/unit/winrm/.
import { hmacMd5, md4Digest, md5, random, Rc4, rc4Once, sameBytes } from './crypto.js';

/** NEGOTIATE flags (2.2.2.5). */
export const Flags = {
  UNICODE: 0x00000001,
  OEM: 0x00000002,
  REQUEST_TARGET: 0x00000004,
  SIGN: 0x00000010,
  SEAL: 0x00000020,
  DATAGRAM: 0x00000040,
  LM_KEY: 0x00000080,
  NTLM: 0x00000200,
  ANONYMOUS: 0x00000800,
  ALWAYS_SIGN: 0x00008000,
  TARGET_TYPE_DOMAIN: 0x00010000,
  TARGET_TYPE_SERVER: 0x00020000,
  EXTENDED_SESSIONSECURITY: 0x00080000,
  IDENTIFY: 0x00100000,
  TARGET_INFO: 0x00800000,
  VERSION: 0x02000000,
  NEGOTIATE_128: 0x20000000,
  KEY_EXCH: 0x40000000,
  NEGOTIATE_56: 0x80000000,
} as const;

/** What labgrade asks for: NTLMv2 with extended session security, 128-bit sign+seal, key exchange. */
export const CLIENT_FLAGS =
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

/** AV_PAIR ids (2.2.2.1). */
export const AvId = {
  EOL: 0,
  NbComputerName: 1,
  NbDomainName: 2,
  DnsComputerName: 3,
  DnsDomainName: 4,
  DnsTreeName: 5,
  Flags: 6,
  Timestamp: 7,
  SingleHost: 8,
  TargetName: 9,
  ChannelBindings: 10,
} as const;

/** MsvAvFlags bit: the AUTHENTICATE message carries a MIC. */
export const AV_FLAG_MIC_PRESENT = 0x2;

export const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
/** Version structure (2.2.2.10): informational only; NTLMSSP_REVISION_W2K3 = 15. */
export const CLIENT_VERSION = Buffer.from([10, 0, 0x61, 0x4a, 0, 0, 0, 15]);

export class NtlmError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NtlmError';
  }
}

export interface AvPair {
  id: number;
  value: Buffer;
}

export function parseAvPairs(buf: Buffer): AvPair[] {
  const out: AvPair[] = [];
  let off = 0;
  while (off + 4 <= buf.length) {
    const id = buf.readUInt16LE(off);
    const len = buf.readUInt16LE(off + 2);
    if (id === AvId.EOL) return out;
    if (off + 4 + len > buf.length) throw new NtlmError('AV_PAIR list is truncated');
    out.push({ id, value: buf.subarray(off + 4, off + 4 + len) });
    off += 4 + len;
  }
  throw new NtlmError('AV_PAIR list has no MsvAvEOL terminator');
}

/** Serializes AV pairs and appends MsvAvEOL. */
export function serializeAvPairs(pairs: AvPair[]): Buffer {
  const parts: Buffer[] = [];
  for (const p of pairs) {
    const h = Buffer.alloc(4);
    h.writeUInt16LE(p.id, 0);
    h.writeUInt16LE(p.value.length, 2);
    parts.push(h, p.value);
  }
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}

/** Reads a (Len, MaxLen, Offset) field describing a slice of the message payload. */
export function readField(msg: Buffer, at: number): Buffer {
  if (at + 8 > msg.length) throw new NtlmError('NTLM message is truncated');
  const len = msg.readUInt16LE(at);
  const off = msg.readUInt32LE(at + 4);
  if (len === 0) return Buffer.alloc(0);
  if (off + len > msg.length) throw new NtlmError('NTLM message field points outside the message');
  return msg.subarray(off, off + len);
}

/** Lays out payload buffers after a fixed header, filling their (Len, MaxLen, Offset) fields. */
export function layoutFields(header: Buffer, fieldOffsets: number[], payloads: Buffer[]): Buffer {
  let off = header.length;
  fieldOffsets.forEach((at, k) => {
    const p = payloads[k]!;
    header.writeUInt16LE(p.length, at);
    header.writeUInt16LE(p.length, at + 2);
    header.writeUInt32LE(off, at + 4);
    off += p.length;
  });
  return Buffer.concat([header, ...payloads]);
}

export function messageType(msg: Buffer): number {
  if (msg.length < 12 || !msg.subarray(0, 8).equals(SIGNATURE)) throw new NtlmError('not an NTLMSSP message');
  return msg.readUInt32LE(8);
}

export function utf16(s: string): Buffer {
  return Buffer.from(s, 'utf16le');
}

// ---------------------------------------------------------------- messages

/** NEGOTIATE_MESSAGE (2.2.1.1) without domain or workstation (we never send OEM names). */
export function buildNegotiate(flags: number = CLIENT_FLAGS): Buffer {
  const m = Buffer.alloc(40);
  SIGNATURE.copy(m, 0);
  m.writeUInt32LE(1, 8);
  m.writeUInt32LE(flags >>> 0, 12);
  // DomainNameFields and WorkstationFields: empty, offset at the end of the header.
  m.writeUInt32LE(40, 20);
  m.writeUInt32LE(40, 28);
  CLIENT_VERSION.copy(m, 32);
  return m;
}

export interface Challenge {
  flags: number;
  serverChallenge: Buffer;
  targetName: Buffer;
  targetInfo: Buffer;
  avPairs: AvPair[];
  raw: Buffer;
}

/** CHALLENGE_MESSAGE (2.2.1.2). */
export function parseChallenge(msg: Buffer): Challenge {
  if (messageType(msg) !== 2) throw new NtlmError('expected an NTLM CHALLENGE message');
  if (msg.length < 32) throw new NtlmError('NTLM CHALLENGE message is truncated');
  const flags = msg.readUInt32LE(20);
  const targetName = readField(msg, 12);
  const targetInfo = msg.length >= 48 && flags & Flags.TARGET_INFO ? readField(msg, 40) : Buffer.alloc(0);
  return {
    flags,
    serverChallenge: Buffer.from(msg.subarray(24, 32)),
    targetName,
    targetInfo,
    avPairs: targetInfo.length ? parseAvPairs(targetInfo) : [],
    raw: msg,
  };
}

// ---------------------------------------------------------------- NTLMv2 (3.3.2)

/** `DOMAIN\user` -> domain + user; anything else (`user`, `user@realm`) -> user with empty domain. */
export function splitUser(user: string): { domain: string; user: string } {
  const k = user.indexOf('\\');
  if (k >= 0) return { domain: user.slice(0, k), user: user.slice(k + 1) };
  return { domain: '', user };
}

/** NTOWFv2(Passwd, User, UserDom) = HMAC_MD5(MD4(UNICODE(Passwd)), UNICODE(Uppercase(User) + UserDom)). */
export async function ntowfv2(password: string, user: string, domain: string): Promise<Buffer> {
  const ntHash = await md4Digest(utf16(password));
  return hmacMd5(ntHash, utf16(user.toUpperCase() + domain));
}

/** Windows FILETIME (100 ns ticks since 1601-01-01) as 8 little-endian bytes. */
export function fileTime(ms: number = Date.now()): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(Math.floor(ms)) + 11644473600000n) * 10000n);
  return b;
}

/** The NTLMv2_CLIENT_CHALLENGE ("temp" in 3.3.2): 0x0101, Z(6), time, client challenge, Z(4), AV pairs, Z(4). */
export function clientBlob(timestamp: Buffer, clientChallenge: Buffer, avPairs: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    timestamp,
    clientChallenge,
    Buffer.alloc(4),
    avPairs,
    Buffer.alloc(4),
  ]);
}

export interface V2Response {
  ntProofStr: Buffer;
  ntChallengeResponse: Buffer;
  lmChallengeResponse: Buffer;
  sessionBaseKey: Buffer;
}

export function computeV2Response(
  responseKeyNT: Buffer,
  serverChallenge: Buffer,
  clientChallenge: Buffer,
  blob: Buffer,
  zeroLm: boolean,
): V2Response {
  const ntProofStr = hmacMd5(responseKeyNT, serverChallenge, blob);
  const lmChallengeResponse = zeroLm
    ? Buffer.alloc(24)
    : Buffer.concat([hmacMd5(responseKeyNT, serverChallenge, clientChallenge), clientChallenge]);
  return {
    ntProofStr,
    ntChallengeResponse: Buffer.concat([ntProofStr, blob]),
    lmChallengeResponse,
    sessionBaseKey: hmacMd5(responseKeyNT, ntProofStr),
  };
}

/**
 * MD5 of a gss_channel_bindings_struct with only application data (the RFC 5929 `tls-server-end-point`
 * binding); without channel bindings the AV pair carries 16 zero bytes.
 */
export function channelBindingsHash(applicationData: Buffer | null): Buffer {
  if (!applicationData) return Buffer.alloc(16);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(applicationData.length);
  return md5(Buffer.alloc(16), len, applicationData);
}

export interface AuthenticateInput {
  /** `user`, `DOMAIN\user` or `user@domain`. */
  user: string;
  password: string;
  /** The NEGOTIATE message as sent (for the MIC). */
  negotiate: Buffer;
  challenge: Challenge;
  /** `tls-server-end-point:` + certificate hash over HTTPS, null over HTTP. */
  channelBindings: Buffer | null;
  /** Service principal name, e.g. `HTTP/192.168.101.130`. */
  spn?: string;
  /** Test hooks (fixed values from [MS-NLMP] 4.2). */
  clientChallenge?: Buffer;
  exportedSessionKey?: Buffer;
  nowMs?: number;
}

export interface AuthenticateOutput {
  message: Buffer;
  flags: number;
  exportedSessionKey: Buffer;
}

/** AUTHENTICATE_MESSAGE (2.2.1.3) with an NTLMv2 response and a MIC (3.1.5.1.2). */
export async function buildAuthenticate(input: AuthenticateInput): Promise<AuthenticateOutput> {
  const ch = input.challenge;
  if (!(ch.flags & Flags.UNICODE)) throw new NtlmError('server does not support Unicode NTLM');
  // The negotiated flags are what both sides support; the server already intersected them.
  const flags = (ch.flags & CLIENT_FLAGS) >>> 0;
  const { domain, user } = splitUser(input.user);
  const responseKey = await ntowfv2(input.password, user, domain);

  const pairs = ch.avPairs.filter((p) => p.id !== AvId.Flags && p.id !== AvId.ChannelBindings && p.id !== AvId.TargetName);
  const serverTime = ch.avPairs.find((p) => p.id === AvId.Timestamp)?.value;
  const oldFlags = ch.avPairs.find((p) => p.id === AvId.Flags)?.value;
  let avFlags = oldFlags && oldFlags.length === 4 ? oldFlags.readUInt32LE(0) : 0;
  // A server timestamp means the server expects a MIC (3.1.5.1.2).
  const withMic = serverTime !== undefined;
  if (withMic) avFlags |= AV_FLAG_MIC_PRESENT;
  if (avFlags) {
    const f = Buffer.alloc(4);
    f.writeUInt32LE(avFlags >>> 0);
    pairs.push({ id: AvId.Flags, value: f });
  }
  pairs.push({ id: AvId.ChannelBindings, value: channelBindingsHash(input.channelBindings) });
  if (input.spn) pairs.push({ id: AvId.TargetName, value: utf16(input.spn) });

  const clientChallenge = input.clientChallenge ?? random(8);
  const timestamp = serverTime ?? fileTime(input.nowMs);
  const blob = clientBlob(timestamp, clientChallenge, serializeAvPairs(pairs));
  const r = computeV2Response(responseKey, ch.serverChallenge, clientChallenge, blob, withMic);

  // KeyExchangeKey for NTLMv2 is the SessionBaseKey (3.4.5.1).
  let exportedSessionKey: Buffer = r.sessionBaseKey;
  let encryptedKey: Buffer = Buffer.alloc(0);
  if (flags & Flags.KEY_EXCH) {
    exportedSessionKey = input.exportedSessionKey ?? random(16);
    encryptedKey = rc4Once(r.sessionBaseKey, exportedSessionKey);
  }

  const header = Buffer.alloc(88);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(3, 8);
  header.writeUInt32LE(flags, 60);
  CLIENT_VERSION.copy(header, 64);
  // MIC (72..88) is zero while computing it.
  const message = layoutFields(
    header,
    [28, 36, 44, 12, 20, 52],
    [utf16(domain), utf16(user), Buffer.alloc(0), r.lmChallengeResponse, r.ntChallengeResponse, encryptedKey],
  );
  if (withMic) {
    const mic = hmacMd5(exportedSessionKey, input.negotiate, ch.raw, message);
    mic.copy(message, 72);
  }
  return { message, flags, exportedSessionKey };
}

// ---------------------------------------------------------------- session security (3.4)

const MAGIC = {
  clientSign: 'session key to client-to-server signing key magic constant\0',
  serverSign: 'session key to server-to-client signing key magic constant\0',
  clientSeal: 'session key to client-to-server sealing key magic constant\0',
  serverSeal: 'session key to server-to-client sealing key magic constant\0',
};

export function signKey(exportedSessionKey: Buffer, dir: 'client' | 'server'): Buffer {
  return md5(exportedSessionKey, Buffer.from(dir === 'client' ? MAGIC.clientSign : MAGIC.serverSign, 'latin1'));
}

export function sealKey(exportedSessionKey: Buffer, flags: number, dir: 'client' | 'server'): Buffer {
  let key = exportedSessionKey;
  if (!(flags & Flags.NEGOTIATE_128)) key = key.subarray(0, flags & Flags.NEGOTIATE_56 ? 7 : 5);
  return md5(key, Buffer.from(dir === 'client' ? MAGIC.clientSeal : MAGIC.serverSeal, 'latin1'));
}

/**
 * SIGN + SEAL with extended session security (3.4.3, 3.4.4.2). One object per authenticated
 * connection and side: `role` 'client' sends with the client-to-server keys and receives with the
 * server-to-client ones; 'server' the other way round. Sequence numbers and RC4 state continue
 * across messages in each direction.
 */
export class SessionSecurity {
  private readonly sendSign: Buffer;
  private readonly recvSign: Buffer;
  private readonly sendSeal: Rc4;
  private readonly recvSeal: Rc4;
  private sendSeq = 0;
  private recvSeq = 0;

  constructor(
    readonly flags: number,
    exportedSessionKey: Buffer,
    role: 'client' | 'server',
  ) {
    if (!(flags & Flags.EXTENDED_SESSIONSECURITY)) {
      throw new NtlmError('NTLM without extended session security is not supported');
    }
    const me = role;
    const peer = role === 'client' ? 'server' : 'client';
    this.sendSign = signKey(exportedSessionKey, me);
    this.recvSign = signKey(exportedSessionKey, peer);
    this.sendSeal = new Rc4(sealKey(exportedSessionKey, flags, me));
    this.recvSeal = new Rc4(sealKey(exportedSessionKey, flags, peer));
  }

  private mac(signKeyBuf: Buffer, handle: Rc4, seq: number, message: Buffer): Buffer {
    const seqBuf = Buffer.alloc(4);
    seqBuf.writeUInt32LE(seq >>> 0);
    let checksum = hmacMd5(signKeyBuf, seqBuf, message).subarray(0, 8);
    if (this.flags & Flags.KEY_EXCH) checksum = handle.update(checksum);
    const sig = Buffer.alloc(16);
    sig.writeUInt32LE(1, 0);
    checksum.copy(sig, 4);
    seqBuf.copy(sig, 12);
    return sig;
  }

  /** GSS_WrapEx: returns the sealed message and its 16-byte signature. */
  wrap(message: Buffer): { sealed: Buffer; signature: Buffer } {
    const sealed = this.sendSeal.update(message);
    const signature = this.mac(this.sendSign, this.sendSeal, this.sendSeq, message);
    this.sendSeq++;
    return { sealed, signature };
  }

  /** GSS_UnwrapEx: decrypts and verifies; throws NtlmError on a bad signature. */
  unwrap(sealed: Buffer, signature: Buffer): Buffer {
    if (signature.length !== 16) throw new NtlmError('NTLM signature must be 16 bytes');
    const message = this.recvSeal.update(sealed);
    const expected = this.mac(this.recvSign, this.recvSeal, this.recvSeq, message);
    this.recvSeq++;
    if (!sameBytes(expected, signature)) throw new NtlmError('NTLM message signature does not match');
    return message;
  }
}
