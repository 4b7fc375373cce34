// Trusting a new host key is recorded: a first-use pin (accept_new_host_key, allowed only from the
// teacher's side) made while grading lands in the result, in every report format and in the class
// summary, with the fingerprint ssh-keygen prints for the pinned line.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectSsh } from '../../../grader/transports/ssh.js';
import { withHostKeyLog } from '../../../grader/transports/host-key-log.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { renderers, reportFormats } from '../../../reports/index.js';
import { buildSummary } from '../../../grader/batch/summary.js';
import { summaryHtml as renderSummaryHtml } from '../../../reports/summary.js';
import { digestOf } from '../../../grader/batch/run.js';
import type { Roster } from '../../../grader/batch/roster.js';
import { startTestServer, type TestServer } from './ssh-test-server.js';
import { answersFile, courseSpec, fakeDeps, labFile, referenceAnswers, referenceGuests, snapshot } from '../../fixtures/engine/world.js';

describe('transports: host keys trusted on first use are recorded', function () {
  this.timeout(30_000);
  let srv: TestServer;
  let dir: string;
  before(async () => {
    srv = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'labgrade-pin-'));
  });
  after(async () => {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });

  const pinOnce = async (file: string) => {
    const c = await connectSsh({ host: '127.0.0.1', port: srv.port, user: 'lab', password: 's3cret-pw', knownHostsFiles: [file], acceptNewHostKey: true, lang: 'en' });
    await c.close();
  };

  it('a pin made inside a grading run is logged with host, port, type, fingerprint and file; a known key is not', async () => {
    const kh = join(dir, 'known_hosts');
    const { keys } = await withHostKeyLog(() => pinOnce(kh));
    expect(keys).to.have.length(1);
    const k = keys[0]!;
    expect(k).to.include({ host: '127.0.0.1', port: srv.port, file: kh });
    // The same fingerprint OpenSSH computes for the line written.
    const lg = execFileSync('ssh-keygen', ['-lf', kh], { encoding: 'utf8' });
    expect(lg).to.include(k.fingerprint);
    expect(k.fingerprint).to.match(/^SHA256:[A-Za-z0-9+/]{43}$/);
    const again = await withHostKeyLog(() => pinOnce(kh));
    expect(again.keys).to.deep.equal([]);
    expect((await readFile(kh, 'utf8')).trim().split('\n')).to.have.length(1);
  });

  it('the engine puts the pins of its run in the result; every format and the class summary show them', async () => {
    const kh = join(dir, 'known_hosts_engine');
    const base = fakeDeps(snapshot({ linux: 'red-nat', windows: 'red-nat' }), referenceGuests('nat')).deps;
    const deps = { ...base, openGuest: async (...a: Parameters<typeof base.openGuest>) => (await pinOnce(kh), base.openGuest(...a)) };
    const r = await gradeStudent({ spec: courseSpec(), lab: labFile(), answers: answersFile({ nat: referenceAnswers('nat') }), task: 'nat', lang: 'en', deps });
    expect(r.trustedHostKeys).to.have.length(1);
    const fp = r.trustedHostKeys![0]!.fingerprint;
    for (const format of reportFormats) expect(renderers[format](r, { lang: 'en' }), format).to.include(fp);
    const roster = { file: 'r.yaml', display: 'r.yaml', students: [{ index: 0, id: 'ana', name: 'Ana', email: 'a@x.org', lab: { kind: 'file', path: '' }, answers: '', task: 'nat', deadlineSec: 60 }], limits: { concurrency: 1, perHost: 1 }, export: { identity: 'email', column: null, scale: 10, decimals: 2, separator: ',', includeIncomplete: false }, credentials: [] } as unknown as Roster;
    const rec = { schemaVersion: 1, id: 'ana', status: 'graded', inputHash: 'x', hashes: { spec: '', answers: '', lab: '', options: '' }, startedAt: r.startedAt, finishedAt: r.finishedAt, durationMs: 1, files: { json: 'students/ana.json', html: 'students/ana.html' } } as const;
    const summary = buildSummary(roster, { students: [{ student: roster.students[0]!, record: rec, digest: digestOf(r), reused: false }], interrupted: false, startedAt: r.startedAt, finishedAt: r.finishedAt, wallMs: 1 }, { exercise: { id: 'clase2-redes', title: 'Clase 2', file: '' }, lang: 'en', version: '0' });
    expect(summary.students[0]!.trustedHostKeys[0]!.fingerprint).to.equal(fp);
    const html = renderSummaryHtml(summary);
    expect(html).to.include('id="host-keys"').and.include(fp);
  });
});
