// The roster's `credentials` (teacher-owned): validated by the schema, paths made absolute against
// the roster, given only to students whose lab is a file they handed in.
import { expect } from 'chai';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRoster } from '../../../grader/batch/roster.js';
import { InputError } from '../../../grader/types.js';
import { clearSecretsForTests, redact } from '../../../grader/inputs/secrets.js';
import { tempClass, writeFiles } from './helpers.js';

describe('batch: roster credentials', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempClass();
  });
  afterEach(async () => {
    clearSecretsForTests();
    await rm(dir, { recursive: true, force: true });
  });

  it('are parsed (paths against the roster, inline secrets redacted) and given only to file labs', async () => {
    await writeFiles(dir, {
      'roster.yaml': `credentials:
  - hosts: [192.168.122.0/24, aula.example.org]
    ssh: { user: root, key: keys/aula, known_hosts: kh, accept_new_host_key: true }
    winrm: { user: alumno, password: { value: "inline-pw-7781" }, ca_file: ca.pem }
defaults: { answers: a.yaml }
students:
  - { id: s1, name: Uno, email: u@x.org, lab: labs/s1.yaml }
  - { id: s2, name: Dos, email: d@x.org, lab: { vms: { linux: { domain: d, access: [agent] } } } }
`,
    });
    const r = await loadRoster(join(dir, 'roster.yaml'), 'en');
    expect(r.credentials).to.have.length(1);
    const c = r.credentials[0]!;
    expect(c.hosts).to.deep.equal(['192.168.122.0/24', 'aula.example.org']);
    expect(c.ssh).to.deep.equal({ user: 'root', keyFile: join(dir, 'keys/aula'), knownHostsFile: join(dir, 'kh'), acceptNewHostKey: true });
    expect(c.winrm).to.deep.equal({ user: 'alumno', password: { value: 'inline-pw-7781' }, caFile: join(dir, 'ca.pem') });
    expect(c.origin).to.equal(`${join(dir, 'roster.yaml')}:2`);
    expect(redact('pw inline-pw-7781')).to.equal('pw ***');
    expect(r.students[0]!.credentials).to.equal(r.credentials);
    expect(r.students[1]!.credentials, 'an inline lab is the teacher\'s own: it names its credentials itself').to.equal(undefined);
  });

  it('a credential without hosts, or with a bad host, is a positioned roster error', async () => {
    await writeFiles(dir, {
      'roster.yaml': `credentials:
  - ssh: { user: root }
  - hosts: ["a b"]
    ssh: { user: root }
defaults:
  answers: a.yaml
  lab: labs/{id}.yaml
students:
  - { id: s1, name: Uno, email: u@x.org }
`,
    });
    try {
      await loadRoster(join(dir, 'roster.yaml'), 'en');
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(InputError);
      const issues = (e as InputError).issues;
      expect(issues.some((i) => i.line === 2)).to.equal(true);
      expect(issues.some((i) => i.path?.startsWith('credentials[1].hosts'))).to.equal(true);
    }
  });
});
