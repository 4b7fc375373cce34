// Channel bindings for NTLM over HTTPS (Extended Protection for Authentication): RFC 5929
// `tls-server-end-point` = the hash of the server certificate, with the certificate's signature
// hash algorithm (MD5 and SHA-1 are replaced by SHA-256).
import { createHash } from 'node:crypto';

const OID_HASH: Record<string, string> = {
  '2a864886f70d010104': 'sha256', // md5WithRSAEncryption
  '2a864886f70d010105': 'sha256', // sha1WithRSAEncryption
  '2a864886f70d01010b': 'sha256',
  '2a864886f70d01010c': 'sha384',
  '2a864886f70d01010d': 'sha512',
  '2a8648ce3d040301': 'sha256', // ecdsa-with-SHA1 -> sha256
  '2a8648ce3d040302': 'sha256',
  '2a8648ce3d040303': 'sha384',
  '2a8648ce3d040304': 'sha512',
};

function readTlv(der: Buffer, off: number): { tag: number; start: number; end: number } {
  const tag = der[off];
  let len = der[off + 1];
  if (tag === undefined || len === undefined) throw new Error('truncated DER');
  let start = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new Error('unsupported DER length');
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + (der[start + k] ?? 0);
    start += n;
  }
  if (start + len > der.length) throw new Error('truncated DER');
  return { tag, start, end: start + len };
}

/** Hash algorithm for tls-server-end-point, from the certificate's signatureAlgorithm OID. */
export function endPointHashAlgorithm(certDer: Buffer): string {
  try {
    const cert = readTlv(certDer, 0);
    const tbs = readTlv(certDer, cert.start);
    const sigAlg = readTlv(certDer, tbs.end);
    const oid = readTlv(certDer, sigAlg.start);
    if (oid.tag !== 0x06) return 'sha256';
    return OID_HASH[certDer.subarray(oid.start, oid.end).toString('hex')] ?? 'sha256';
  } catch {
    return 'sha256';
  }
}

/** `tls-server-end-point:` + hash of the DER certificate (the channel bindings application data). */
export function tlsServerEndPoint(certDer: Buffer): Buffer {
  const digest = createHash(endPointHashAlgorithm(certDer)).update(certDer).digest();
  return Buffer.concat([Buffer.from('tls-server-end-point:'), digest]);
}
