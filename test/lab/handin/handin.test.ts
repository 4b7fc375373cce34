// Hand-ins on the real lab (root; under the lab-tests lock):
//   flock /tmp/labgrade-labtests.lock npx mocha test/lab/handin/handin.test.ts
// The demo's students check task by task with --hand-in (as `labgrade demo` grades them); their
// hand-ins re-grade, from the evidence alone, to exactly their live scores (100 % and 62.5 %);
// the same hand-ins tampered four ways are flagged with the right reason and never gain a point;
// a Moodle-layout download zip with them goes through `batch --hand-ins` in one command.
import { expect } from 'chai';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureLab, labFileFor, useScenario } from '../../helpers/lab.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { redact } from '../../../grader/inputs/secrets.js';
import { readHandIn } from '../../../grader/handin/read.js';
import { regradeHandIn, duplicates, type Flag } from '../../../grader/handin/regrade.js';
import { buildHash, MANIFEST, chainEntries, type Manifest } from '../../../grader/handin/format.js';
import { readZip, writeZip, HANDIN_LIMITS } from '../../../grader/handin/zip.js';
import { chainOf, CHAIN_START, sha256, type EvidenceEntry } from '../../../grader/handin/evidence.js';
import type { ExerciseSpec } from '../../../grader/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = `${root}exercises/clase2-redes.yaml`;
const PAIRS = {
  nat: { linux: 'debian12', windows: 'win10' },
  isolated: { linux: 'debian12-iso', windows: 'win10-iso' },
  very_isolated: { linux: 'debian12-viso', windows: 'win10-viso' },
} as const;

function labgrade(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'labgrade.js'), '--lang', 'en', ...args], { encoding: 'utf8', timeout: 10 * 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let dir: string;
let spec: ExerciseSpec;
let specSha: string;
const live: Record<string, number> = {};
const handins: Record<string, string> = {};

/** The build of the CLI that wrote the hand-ins (this process runs the sources, another build). */
let cliBuild: string;

async function regrade(file: string | Buffer) {
  const h = await readHandIn(file, 'x', 'en');
  return regradeHandIn(h, { spec, specSha256: specSha, lang: 'en', build: cliBuild, redact });
}

/** Rewrites a hand-in: `edit` changes the files; `reseal` recomputes the evidence chains and the manifest. */
async function tamper(file: string, edit: (files: Map<string, Buffer>) => void, reseal: boolean): Promise<Buffer> {
  const files = await readZip(await readFile(file), HANDIN_LIMITS);
  edit(files);
  const m = JSON.parse(files.get(MANIFEST)!.toString('utf8')) as Manifest;
  if (reseal) {
    for (const r of m.runs) {
      const p = `runs/${r.n}/evidence.jsonl`;
      let prev = CHAIN_START;
      const lines = files.get(p)!.toString('utf8').trim().split('\n').map((l) => {
        const { chain: _c, ...rest } = JSON.parse(l) as EvidenceEntry;
        prev = chainOf(prev, rest);
        return JSON.stringify({ ...rest, chain: prev });
      });
      files.set(p, Buffer.from(`${lines.join('\n')}\n`));
    }
    const list = m.entries.map((e) => ({ name: e.path, data: files.get(e.path)! }));
    const c = chainEntries(list);
    m.entries = c.entries;
    m.seal = c.seal;
    files.set(MANIFEST, Buffer.from(JSON.stringify(m)));
  }
  return writeZip([...files.entries()].map(([name, data]) => ({ name, data })), new Date());
}

const codes = (f: Flag[]): string[] => [...new Set(f.map((x) => x.code))].sort();

describe('hand-ins on the real lab', function () {
  before(async function () {
    this.timeout(15 * 60_000);
    await ensureLab(this, 'all');
    await useScenario('all');
    dir = await mkdtemp(join(tmpdir(), 'labgrade-handin-lab-'));
    spec = await loadSpec(SPEC);
    specSha = sha256(await readFile(SPEC));
    for (const s of ['correct', 'mistakes']) {
      handins[s] = join(dir, `${s}.zip`);
      const runs: { points: number; max: number }[] = [];
      for (const [task, pair] of Object.entries(PAIRS)) {
        const lab = await labFileFor(pair);
        const out = join(dir, `${s}-${task}.json`);
        const r = labgrade('check', SPEC, '--lab', lab, '--answers', `${root}exercises/demo/answers-${s}.yaml`, '--task', task, '--format', 'json', '-o', out, '--hand-in', handins[s]!, '-q');
        expect(r.code, r.stderr).to.be.oneOf([0, 1]);
        const res = JSON.parse(await readFile(out, 'utf8')) as { totals: { points: number; maxPoints: number } };
        runs.push({ points: res.totals.points, max: res.totals.maxPoints });
      }
      const p = runs.reduce((a, x) => a + x.points, 0);
      const m = runs.reduce((a, x) => a + x.max, 0);
      live[s] = Math.round((p / m) * 1000) / 10;
    }
    cliBuild = (await readHandIn(handins.correct!, 'x', 'en')).manifest.tool.build;
    // This process (the sources under tsx) is another build, and says so.
    const other = await regradeHandIn(await readHandIn(handins.correct!, 'x', 'en'), { spec, specSha256: specSha, lang: 'en', build: await buildHash(), redact });
    expect(other.flags.map((f) => f.code)).to.deep.equal(['unknown-build']);
  });

  it('the live scores are the demo\'s: 100 % and 62.5 %', function () {
    expect(live).to.deep.equal({ correct: 100, mistakes: 62.5 });
  });

  it('`handin show` lists the entries, says the seal holds and that no secret is inside', async function () {
    this.timeout(60_000);
    // With the lab file: its password and key are looked for (and not found).
    const r = labgrade('handin', 'show', handins.correct!, '--lab', await labFileFor(PAIRS.nat));
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Seal: every entry matches/);
    expect(r.stdout).to.match(/runs\/3\/evidence\.jsonl/);
    expect(r.stdout).to.match(/host key/);
    expect(r.stdout).to.match(/Secrets: no private key/);
  });

  for (const s of ['correct', 'mistakes'] as const) {
    it(`${s}: the re-grade from the evidence alone gives exactly the live score, with no flag`, async function () {
      this.timeout(120_000);
      const g = await regrade(handins[s]!);
      expect(g.result?.totals.percent).to.equal(live[s]);
      expect(g.flags.map((f) => f.reason)).to.deep.equal([]);
      expect(g.fingerprint.uuids.length).to.be.greaterThan(0);
    });
  }

  it('tampered: a score edited in the result is flagged and the re-grade keeps the real score', async function () {
    this.timeout(120_000);
    const z = await tamper(handins.mistakes!, (f) => {
      const r = JSON.parse(f.get('runs/1/result.json')!.toString('utf8'));
      r.totals.points = r.totals.maxPoints;
      r.totals.percent = 100;
      f.set('runs/1/result.json', Buffer.from(JSON.stringify(r)));
    }, true);
    const g = await regrade(z);
    expect(codes(g.flags)).to.deep.equal(['result-disagrees']);
    expect(g.flags[0]!.reason).to.match(/run 1: the hand-in's result says .* \(100 %\), the re-grade from its evidence gives/);
    expect(g.result?.totals.percent).to.equal(live.mistakes);
  });

  it('tampered: an evidence line edited without the manifest breaks the seal (grade withheld)', async function () {
    this.timeout(120_000);
    const z = await tamper(handins.mistakes!, (f) => {
      const p = 'runs/1/evidence.jsonl';
      f.set(p, Buffer.from(f.get(p)!.toString('utf8').replace('192.168.101.218', '192.168.101.217')));
    }, false);
    const g = await regrade(z);
    expect(codes(g.flags)).to.include('seal');
    expect(g.flags.find((x) => x.code === 'seal')!.reason).to.match(/runs\/1\/evidence\.jsonl was changed after the hand-in was written|evidence's chain is broken/);
    expect(g.flags.every((x) => x.code !== 'seal' || x.severity === 'withhold')).to.equal(true);
  });

  it('tampered: an evidence line edited with a recomputed manifest, contradicting the XML, is flagged', async function () {
    this.timeout(120_000);
    // The guest's own MAC in its `ip addr` output changed: the domain XML says otherwise.
    const z = await tamper(handins.mistakes!, (f) => {
      const p = 'runs/1/evidence.jsonl';
      const lines = f.get(p)!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as EvidenceEntry);
      const xml = lines.find((e) => e.kind === 'virsh' && e.args[0] === 'dumpxml' && e.args.includes('debian12'));
      const mac = /<mac address='([^']+)'/.exec((xml as { result: { stdout: string } }).result.stdout)![1]!;
      const edited = lines.map((e) => JSON.parse(JSON.stringify(e).split(mac).join('52:54:00:de:ad:01').replace(/"chain":"[0-9a-f]+"/, `"chain":"${'0'.repeat(64)}"`)) as EvidenceEntry);
      // Only the guest's side is edited: the virsh XML keeps the real MAC.
      const out = lines.map((e, i) => (e.kind === 'virsh' ? e : edited[i]!));
      f.set(p, Buffer.from(`${out.map((e) => JSON.stringify(e)).join('\n')}\n`));
    }, true);
    const g = await regrade(z);
    expect(codes(g.flags)).to.include('evidence-contradiction');
    expect(g.flags.find((x) => x.code === 'evidence-contradiction')!.reason).to.match(/shows MAC 52:54:00:de:ad:01 .* but the domain XML of debian12 has only/);
    expect(g.flags.find((x) => x.code === 'evidence-contradiction')!.severity).to.equal('withhold');
  });

  it('batch --hand-ins on a Moodle download zip: re-grades, flags a copied hand-in, writes CSV and the feedback zip', async function () {
    this.timeout(10 * 60_000);
    const correct = await readFile(handins.correct!);
    const mistakes = await readFile(handins.mistakes!);
    const moodle = await writeZip(
      [
        { name: 'Ana Garcia_1001_assignsubmission_file/entrega.zip', data: correct },
        { name: 'Bruno Diaz_1002_assignsubmission_file/entrega.zip', data: mistakes },
        // Carla hands in Ana's file again.
        { name: 'Carla Ruiz_1003_assignsubmission_file/entrega.zip', data: correct },
      ],
      new Date(),
    );
    const zip = join(dir, 'moodle.zip');
    await writeFile(zip, moodle);
    const roster = join(dir, 'clase.yaml');
    await writeFile(
      roster,
      'students:\n  - { id: ana, name: Ana García, participant: 1001, email: ana@example.invalid }\n  - { id: bruno, name: Bruno Díaz, participant: 1002, email: bruno@example.invalid }\n  - { id: carla, name: Carla Ruiz, participant: 1003, email: carla@example.invalid }\n',
    );
    const out = join(dir, 'notas');
    const r = labgrade('batch', SPEC, '--roster', roster, '--hand-ins', zip, '--out', out);
    expect(r.code, r.stdout + r.stderr).to.be.oneOf([0, 1]);
    const cls = JSON.parse(await readFile(join(out, 'class.json'), 'utf8')) as { students: { id: string; percent: number | null; trust: string; flags: Flag[] }[] };
    const by = Object.fromEntries(cls.students.map((s) => [s.id, s]));
    expect(by.ana!.percent).to.equal(100);
    expect(by.bruno!.percent).to.equal(62.5);
    // Carla handed in Ana's file: both are withheld (which one copied is for the teacher to find).
    expect(by.carla!.flags.map((f) => f.code)).to.include('same-hand-in');
    expect(by.ana!.flags.map((f) => f.code)).to.include('same-hand-in');
    expect(by.carla!.trust).to.equal('withheld');
    expect(by.ana!.trust).to.equal('withheld');
    // The demo's two students share one lab (one machine): said, for review, grade kept.
    expect(by.bruno!.flags.map((f) => f.code)).to.deep.equal(['same-lab', 'same-lab']);
    expect(by.bruno!.trust).to.equal('review');
    const csv = await readFile(join(out, 'grades.csv'), 'utf8');
    expect(csv).to.match(/bruno@example\.invalid,6\.25/);
    expect(csv).to.not.match(/carla@example\.invalid|ana@example\.invalid/);
    const fb = await readZip(await readFile(join(out, 'feedback.zip')), { ...HANDIN_LIMITS, maxEntries: 1000 });
    expect([...fb.keys()].sort()).to.deep.equal([
      'Ana Garcia_1001_assignfeedback_file/report.html',
      'Bruno Diaz_1002_assignfeedback_file/report.html',
      'Carla Ruiz_1003_assignfeedback_file/report.html',
    ]);
  });

  it('duplicates(): two hand-ins of one lab share its UUIDs and MACs', async function () {
    const a = await regrade(handins.correct!);
    const b = await regrade(handins.mistakes!);
    const d = duplicates([{ id: 'a', fp: a.fingerprint }, { id: 'b', fp: b.fingerprint }], 'en');
    expect(d.get('a')!.map((x) => x.code)).to.deep.equal(['same-lab']);
  });
});
