// The cryptographic primitives NTLM needs, chosen so that Node never needs
// `--openssl-legacy-provider` (OpenSSL 3 disables MD4 and RC4):
//   - MD4 (the NT hash of the password) comes from hash-wasm (a maintained WebAssembly build);
//   - HMAC-MD5 and MD5 come from node:crypto (still in OpenSSL's default provider);
//   - RC4 is written here: it is a dozen lines (key schedule + keystream) and stateful, which is
//     what NTLM sealing needs (one cipher handle per direction, kept across messages).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { md4 } from 'hash-wasm';

export async function md4Digest(data: Buffer): Promise<Buffer> {
  return Buffer.from(await md4(data), 'hex');
}

export function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

export function hmacMd5(key: Buffer, ...parts: Buffer[]): Buffer {
  const h = createHmac('md5', key);
  for (const p of parts) h.update(p);
  return h.digest();
}

export function random(n: number): Buffer {
  return randomBytes(n);
}

/** A stateful RC4 cipher: successive `update` calls continue the same keystream. */
export class Rc4 {
  private readonly s = new Uint8Array(256);
  private i = 0;
  private j = 0;

  constructor(key: Buffer) {
    if (key.length === 0) throw new Error('RC4 key must not be empty');
    const s = this.s;
    for (let k = 0; k < 256; k++) s[k] = k;
    let j = 0;
    for (let k = 0; k < 256; k++) {
      j = (j + s[k]! + key[k % key.length]!) & 0xff;
      const t = s[k]!;
      s[k] = s[j]!;
      s[j] = t;
    }
  }

  update(data: Buffer): Buffer {
    const s = this.s;
    const out = Buffer.allocUnsafe(data.length);
    let i = this.i;
    let j = this.j;
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      j = (j + s[i]!) & 0xff;
      const t = s[i]!;
      s[i] = s[j]!;
      s[j] = t;
      out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
    }
    this.i = i;
    this.j = j;
    return out;
  }
}

/** One-shot RC4 (a fresh key schedule), as used for the encrypted random session key. */
export function rc4Once(key: Buffer, data: Buffer): Buffer {
  return new Rc4(key).update(data);
}

/** Constant-time comparison of two byte strings of possibly different lengths. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let k = 0; k < a.length; k++) d |= a[k]! ^ b[k]!;
  return d === 0;
}
