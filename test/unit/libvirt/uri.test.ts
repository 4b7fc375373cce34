// parseUri: a given port must be a number 1-65535, else the URI is no URI (null), so no caller can
// skip a host check on it (grader/inputs/load-lab.ts refuses a null for a student's lab file).
import { expect } from 'chai';
import { parseUri } from '../../../grader/libvirt/uri.js';

describe('libvirt URI parsing', () => {
  it('reads host, user and port', () => {
    const u = parseUri('qemu+ssh://alumno@192.0.2.10:2222/system')!;
    expect([u.user, u.host, u.port, u.transport, u.path]).to.deep.equal(['alumno', '192.0.2.10', 2222, 'ssh', '/system']);
    expect(parseUri('qemu:///system')!.host).to.equal(null);
  });

  it('an empty, non-numeric or out-of-range port is no URI', () => {
    for (const uri of ['qemu+ssh://-oProxyCommand=touch%20x:/system', 'qemu+ssh://h:abc/system', 'qemu+ssh://h:0/system', 'qemu+ssh://h:65536/system', 'qemu+ssh://h:/system']) {
      expect(parseUri(uri), uri).to.equal(null);
    }
  });
});
