import { expect } from 'chai';
import { decryptMessage, encryptMessage, ENCRYPTED_CONTENT_TYPE, isEncryptedContentType } from '../../../grader/transports/winrm/encryption.js';
import { SessionSecurity } from '../../../grader/transports/winrm/ntlm.js';

const FLAGS = 0xe2888235;

function pair() {
  const key = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  return { client: new SessionSecurity(FLAGS, key, 'client'), server: new SessionSecurity(FLAGS, key, 'server') };
}

describe('winrm/encryption: [MS-WSMV] 2.2.9.1.1 framing', () => {
  it('frames a sealed message exactly as pywinrm does and opens it on the other side', () => {
    const { client, server } = pair();
    const soap = Buffer.from('<s:Envelope>ñandú --Encrypted Boundary</s:Envelope>', 'utf8');
    const body = encryptMessage(client, soap);
    const text = body.toString('latin1');
    expect(text.startsWith('--Encrypted Boundary\r\n\tContent-Type: application/HTTP-SPNEGO-session-encrypted\r\n')).to.equal(true);
    expect(text).to.contain(`\tOriginalContent: type=application/soap+xml;charset=UTF-8;Length=${soap.length}\r\n`);
    expect(text).to.contain('--Encrypted Boundary\r\n\tContent-Type: application/octet-stream\r\n');
    expect(text.endsWith('--Encrypted Boundary--\r\n')).to.equal(true);
    const header = '\tContent-Type: application/octet-stream\r\n';
    const octet = body.indexOf(header) + header.length;
    expect(body.readUInt32LE(octet)).to.equal(16);
    expect(body.includes(soap)).to.equal(false);
    expect(decryptMessage(server, body).equals(soap)).to.equal(true);
  });

  it('keeps the RC4 streams and sequence numbers in step over many messages both ways', () => {
    const { client, server } = pair();
    for (let k = 0; k < 20; k++) {
      const req = Buffer.from(`request ${k} `.repeat(k * 50 + 1));
      expect(decryptMessage(server, encryptMessage(client, req)).equals(req)).to.equal(true);
      const res = Buffer.from(`response ${k}`);
      expect(decryptMessage(client, encryptMessage(server, res)).equals(res)).to.equal(true);
    }
  });

  it('rejects tampering, truncation and a wrong key', () => {
    const a = pair();
    const body = encryptMessage(a.client, Buffer.from('<x/>'));
    const tampered = Buffer.from(body);
    tampered[tampered.length - 30] = tampered[tampered.length - 30]! ^ 0xff;
    expect(() => decryptMessage(a.server, tampered)).to.throw();
    const b = pair();
    expect(() => decryptMessage(b.server, encryptMessage(b.client, Buffer.from('<x/>')).subarray(0, 150))).to.throw(/truncated|boundary|part/);
    const other = new SessionSecurity(FLAGS, Buffer.alloc(16, 9), 'server');
    expect(() => decryptMessage(other, encryptMessage(pair().client, Buffer.from('<x/>')))).to.throw(/signature/);
  });

  it('recognizes the encrypted content type', () => {
    expect(isEncryptedContentType(ENCRYPTED_CONTENT_TYPE)).to.equal(true);
    expect(isEncryptedContentType('multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"')).to.equal(true);
    expect(isEncryptedContentType('application/soap+xml;charset=UTF-8')).to.equal(false);
    expect(isEncryptedContentType(undefined)).to.equal(false);
  });
});
