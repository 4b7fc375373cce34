// A secret followed end to end: a lab file names a password file and a password variable; the
// real loader reads the file, the access path resolves both (as grader/transports/open.ts does),
// a guest echoes one into its output and a server echoes the other into its refusal; the real
// engine grades; every report format is rendered from the real result (and, in batch, every file
// written) and none holds either secret in any spelling. The same run with redaction switched off
// shows the secrets would have arrived (so the check can fail).
import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { clearSecretsForTests, redact, resolveSecret } from '../../../grader/inputs/secrets.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import type { EngineDeps } from '../../../grader/engine/deps.js';
import { TransportError, type LabFile, type WinRmAccess } from '../../../grader/types.js';
import { renderers, reportFormats } from '../../../reports/index.js';
import { loadRoster } from '../../../grader/batch/roster.js';
import { preflight } from '../../../grader/batch/preflight.js';
import { runBatch } from '../../../grader/batch/run.js';
import { realGrader } from '../../../grader/batch/real-grader.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import { answersFile, fakeDeps, guest, referenceAnswers, snapshot } from '../../fixtures/engine/world.js';

const FILE_SECRET = 'f1le-pa$$ "quoted" <b>&amp;';
const ENV_SECRET = 'env-t0ken\\with/backslash';
const ENV = 'LABGRADE_TEST_WIN_SECRET';
const spellings = (s: string) => [s, JSON.stringify(s).slice(1, -1), s.slice(0, 8)];

const LAB = (pwFile: string) => `uri: "qemu:///system"
networks: { nat: red-nat, isolated: red-aislada, very_isolated: red-muy-aislada }
vms:
  linux: { domain: debian12, access: [{ ssh: { user: root, host: 192.168.101.130, password: { file: ${pwFile} } } }] }
  windows: { domain: win10, os: linux, access: [{ winrm: { user: alumno, host: 192.168.101.140, password: { env: ${ENV} } } }] }
probes: { outside_host: 198.51.100.10, resolve_name: www.labgrade.test, timeout_ms: 500 }
`;

/** The fixture world, opened the way open.ts opens: secrets resolved from the lab's access methods. */
function depsFor(clean: (s: string) => string): EngineDeps {
  const g = {
    linux: { ...guest('linux', { address: '192.168.101.130', prefix: 24, origin: 'dhcp', gateway: '192.168.101.1', dns: ['192.168.101.1'] }, {}), stdout: '' },
    windows: guest('windows', { address: '192.168.101.140', prefix: 24, origin: 'dhcp', gateway: '192.168.101.1', dns: ['192.168.101.1'] }, {}),
  };
  const base = fakeDeps(snapshot({ linux: 'red-nat', windows: 'red-nat' }), g).deps;
  return {
    ...base,
    redact: clean,
    async openGuest(vm, ctx) {
      const m = vm.access[0]!;
      if (m.kind === 'agent') return base.openGuest(vm, ctx);
      const secret = await resolveSecret((m as WinRmAccess).password!, dirname(ctx.lab.file), { lang: 'en' });
      // A server that echoes the password in its refusal; a guest that prints it.
      if (m.kind === 'winrm') throw new TransportError('auth', `winrm ${m.user}@${m.host}`, `logon failure for ${m.user} with "${secret}"`);
      g.linux.stdout = `password=${secret}\n${JSON.stringify({ password: secret })}`;
      return base.openGuest(vm, ctx);
    },
  };
}

describe('engine: a secret from the lab file never reaches any report', function () {
  this.timeout(60_000);
  let dir: string;
  let lab: LabFile;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labgrade-secret-'));
    await writeFile(join(dir, 'pw.txt'), `${FILE_SECRET}\n`);
    await writeFile(join(dir, 'lab.yaml'), LAB('pw.txt'));
    process.env[ENV] = ENV_SECRET;
    lab = await loadLab(join(dir, 'lab.yaml'), { lang: 'en' });
  });
  after(async () => {
    delete process.env[ENV];
    clearSecretsForTests();
    await rm(dir, { recursive: true, force: true });
  });

  let loaded: Awaited<ReturnType<typeof loadSpec>> | null = null;
  const courseSpec = () => loaded!;
  before(async () => {
    loaded = await loadSpec(join(process.cwd(), 'exercises', 'clase2-redes.yaml'), { lang: 'en' });
  });
  const grade = (clean: (s: string) => string) =>
    gradeStudent({ spec: courseSpec(), lab, answers: answersFile({ nat: referenceAnswers('nat') }), task: 'nat', lang: 'en', deps: depsFor(clean) });

  it('control: without redaction both secrets arrive in the rendered reports', async () => {
    const r = await grade((s) => s);
    const json = renderers.json(r, { lang: 'en' });
    expect(json).to.include(JSON.stringify(FILE_SECRET).slice(1, -1)).and.include(JSON.stringify(ENV_SECRET).slice(1, -1));
    // Every format shows at least the refusal that echoed a secret (not every one shows evidence).
    for (const format of reportFormats) expect(renderers[format](r, { lang: 'en' }), format).to.include('env-t0ken');
  });

  for (const format of reportFormats) {
    it(`${format}: rendered from the real result, holds neither secret`, async () => {
      const r = await grade(redact);
      const out = renderers[format](r, { lang: 'en', color: true });
      for (const s of [...spellings(FILE_SECRET), ...spellings(ENV_SECRET)]) expect(out, s).to.not.include(s);
      expect(out).to.include('***');
    });
  }

  it('batch: no file written (student reports, status, class summary, CSV) holds either secret', async () => {
    await writeFile(
      join(dir, 'roster.yaml'),
      `defaults:\n  answers: answers.yaml\n  task: nat\n  lab:\n${LAB('pw.txt').split('\n').filter(Boolean).map((l) => `    ${l}`).join('\n')}\nstudents:\n  - { id: ana, name: Ana, email: ana@x.org }\n`,
    );
    await writeFile(join(dir, 'answers.yaml'), await readFile(join(process.cwd(), 'test', 'fixtures', 'spec', 'answers-reference.yaml'), 'utf8'));
    const spec = courseSpec();
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    const labs = await preflight(roster, spec, 'en');
    const out = join(dir, 'out');
    const outcome = await runBatch(roster, { exercise: { id: spec.id, title: spec.title.en, file: spec.file }, outDir: out, concurrency: 1, perHost: 1, resume: false, lang: 'en' }, { grade: realGrader(spec, labs, () => depsFor(redact)), redact });
    await writeClassOutputs(roster, outcome, { outDir: out, exercise: { id: spec.id, title: spec.title.en, file: spec.file }, lang: 'en' });
    const files = [...(await readdir(out)).map((f) => join(out, f)), ...(await readdir(join(out, 'students'))).map((f) => join(out, 'students', f))].filter((f) => !f.endsWith('students'));
    expect(files.length).to.be.greaterThan(5);
    const json = await readFile(join(out, 'students', 'ana.json'), 'utf8');
    expect(json, 'the echoed refusal is in the report, redacted').to.include('logon failure for alumno with');
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      for (const s of [...spellings(FILE_SECRET), ...spellings(ENV_SECRET)]) expect(text, `${f}: ${s}`).to.not.include(s);
    }
  });
});
