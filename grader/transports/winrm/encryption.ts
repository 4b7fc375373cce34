// HTTP message encryption of [MS-WSMV] 2.2.9.1.1 (SPNEGO/NTLM session encryption): over plain HTTP
// every SOAP body is sealed with the NTLM session keys and framed as multipart/encrypted:
//
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n
//   \tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=<plaintext bytes>\r\n
//   --Encrypted Boundary\r\n
//   \tContent-Type: application/octet-stream\r\n
//   <signature length, uint32 LE = 16><NTLM signature><sealed message>
//   --Encrypted Boundary--\r\n
//
// The sealed message has exactly the plaintext length (RC4 is a stream cipher), so parsing is driven
// by the declared lengths, never by searching the binary part for the boundary.
import type { SessionSecurity } from './ntlm.js';

export const ENCRYPTED_PROTOCOL = 'application/HTTP-SPNEGO-session-encrypted';
export const ENCRYPTED_CONTENT_TYPE = `multipart/encrypted;protocol="${ENCRYPTED_PROTOCOL}";boundary="Encrypted Boundary"`;

const BOUNDARY = '--Encrypted Boundary';
const OCTET_HEADER = '\tContent-Type: application/octet-stream\r\n';

export class EncryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EncryptionError';
  }
}

/** Whether a Content-Type header announces an SPNEGO-encrypted body. */
export function isEncryptedContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const ct = contentType.toLowerCase();
  return ct.startsWith('multipart/encrypted') && ct.includes(`protocol="${ENCRYPTED_PROTOCOL.toLowerCase()}"`);
}

/** Seals one SOAP message into a multipart/encrypted body. */
export function encryptMessage(sec: SessionSecurity, plaintext: Buffer): Buffer {
  const { sealed, signature } = sec.wrap(plaintext);
  const sigLen = Buffer.alloc(4);
  sigLen.writeUInt32LE(signature.length);
  return Buffer.concat([
    Buffer.from(
      `${BOUNDARY}\r\n` +
        `\tContent-Type: ${ENCRYPTED_PROTOCOL}\r\n` +
        `\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${plaintext.length}\r\n` +
        `${BOUNDARY}\r\n` +
        OCTET_HEADER,
      'latin1',
    ),
    sigLen,
    signature,
    sealed,
    Buffer.from(`${BOUNDARY}--\r\n`, 'latin1'),
  ]);
}

/** Opens a multipart/encrypted body (one or more encrypted parts), verifying every signature. */
export function decryptMessage(sec: SessionSecurity, body: Buffer): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  const boundaryLine = Buffer.from(`${BOUNDARY}\r\n`, 'latin1');
  const octet = Buffer.from(OCTET_HEADER, 'latin1');
  for (;;) {
    const start = body.indexOf(boundaryLine, pos);
    if (start < 0) break;
    const headerStart = start + boundaryLine.length;
    const headerEnd = body.indexOf(boundaryLine, headerStart);
    if (headerEnd < 0) throw new EncryptionError('encrypted body: missing the second boundary');
    const header = body.subarray(headerStart, headerEnd).toString('latin1');
    if (!header.includes(ENCRYPTED_PROTOCOL)) throw new EncryptionError('encrypted body: unexpected part type');
    const m = /Length=(\d+)/.exec(header);
    if (!m) throw new EncryptionError('encrypted body: OriginalContent has no Length');
    const length = Number(m[1]);
    let p = headerEnd + boundaryLine.length;
    if (!body.subarray(p, p + octet.length).equals(octet)) {
      throw new EncryptionError('encrypted body: missing the application/octet-stream part');
    }
    p += octet.length;
    if (p + 4 > body.length) throw new EncryptionError('encrypted body is truncated');
    const sigLen = body.readUInt32LE(p);
    p += 4;
    if (sigLen !== 16 || p + sigLen + length > body.length) throw new EncryptionError('encrypted body is truncated');
    const signature = body.subarray(p, p + sigLen);
    p += sigLen;
    const sealed = body.subarray(p, p + length);
    p += length;
    out.push(sec.unwrap(sealed, signature));
    pos = p;
  }
  if (out.length === 0) throw new EncryptionError('encrypted body has no encrypted part');
  return Buffer.concat(out);
}
