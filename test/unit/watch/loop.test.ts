// `labgrade watch`'s rounds with a fake grader: each round is a batch pass; state.json's class is
// batch's class.json for the same gradings; "since" and "stuck" follow the verdicts; a slow student
// does not hold the others' rounds; the history records first passes; the end writes batch's files.
import { expect } from 'chai';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadRoster, type Roster } from '../../../grader/batch/roster.js';
import { runBatch } from '../../../grader/batch/run.js';
import { writeClassOutputs } from '../../../grader/batch/outputs.js';
import { redact } from '../../../grader/inputs/secrets.js';
import type { GradeFn } from '../../../grader/batch/types.js';
import type { ClassSummary } from '../../../grader/batch/summary.js';
import { runWatch, HISTORY_FILE, type RoundInfo } from '../../../grader/watch/loop.js';
import type { HistoryLine, WatchSnapshot } from '../../../grader/watch/state.js';
import { fakeResult, sleep, tempClass, writeFiles } from '../batch/helpers.js';

const EXERCISE = { id: 'clase2-redes', title: 'Clase 2', file: '' };
const Q = 'nat.config.linux';

async function makeClass(dir: string, ids: string[]): Promise<Roster> {
  const files: Record<string, string> = { 'spec.yaml': 'id: fake-spec\n' };
  const lines = ['defaults:', '  answers: answers/{id}.yaml', 'students:'];
  for (const id of ids) {
    files[`answers/${id}.yaml`] = `student: { name: ${id} }\n`;
    lines.push(`  - id: ${id}`, `    name: Student ${id}`, `    email: ${id}@x.org`, `    lab: { uri: "qemu+ssh://t@${id}.example/system", vms: { linux: { domain: ${id}-deb, access: [agent] } } }`);
  }
  files['roster.yaml'] = `${lines.join('\n')}\n`;
  await writeFiles(dir, files);
  return loadRoster(join(dir, 'roster.yaml'), 'en');
}

/** class.json without what differs between two runs of the same gradings (times). */
function timeless(c: ClassSummary): unknown {
  const x = structuredClone(c) as unknown as Record<string, unknown>;
  delete x.startedAt;
  delete x.finishedAt;
  delete x.wallMs;
  for (const s of x.students as Record<string, unknown>[]) delete s.durationMs;
  return x;
}

describe('watch: rounds with a fake grader', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(async () => {
    dir = await tempClass();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('state.json’s class is the class.json batch writes for the same round', async () => {
    const roster = await makeClass(dir, ['ana', 'bea', 'carla']);
    const grade: GradeFn = async (s) => fakeResult(s.name, s.id === 'bea' ? { failing: [Q] } : s.id === 'carla' ? { unmeasured: [Q] } : {});
    let snap: WatchSnapshot | null = null;
    const w = await runWatch(roster, { exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: join(dir, 'w'), concurrency: 2, perHost: 2, lang: 'en', everySec: 0.01, stuckAfter: 3, maxRounds: 1, graceMs: 10, onRound: (_i, s) => (snap = s) }, { grade, redact });
    const b = await runBatch(roster, { exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: join(dir, 'b'), concurrency: 2, perHost: 2, resume: false, lang: 'en', graceMs: 10 }, { grade, redact });
    await writeClassOutputs(roster, b, { outDir: join(dir, 'b'), exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, lang: 'en' });
    const batchClass = JSON.parse(await readFile(join(dir, 'b', 'class.json'), 'utf8')) as ClassSummary;
    expect(snap).to.not.equal(null);
    expect(timeless(snap!.class)).to.deep.equal(timeless(batchClass));
    // And the final outputs are batch's, for the same gradings.
    const watchClass = JSON.parse(await readFile(join(dir, 'w', 'class.json'), 'utf8')) as ClassSummary;
    expect(timeless(watchClass)).to.deep.equal(timeless(batchClass));
    expect(await readFile(join(dir, 'w', 'grades.csv'), 'utf8')).to.equal(await readFile(join(dir, 'b', 'grades.csv'), 'utf8'));
    expect(w.summary.counts).to.deep.include({ students: 3, graded: 2, incomplete: 1 });
  });

  it('a cell keeps its "since" while the verdict holds; the same failure for N rounds is stuck; a change resets it', async () => {
    const roster = await makeClass(dir, ['ana', 'bea']);
    let round = 0;
    const rounds: WatchSnapshot[] = [];
    // bea fails Q in rounds 1-4, passes from round 5; ana always passes.
    const grade: GradeFn = async (s) => fakeResult(s.name, s.id === 'bea' && round < 5 ? { failing: [Q] } : {});
    await runWatch(
      roster,
      {
        exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') },
        outDir: join(dir, 'w'),
        concurrency: 2,
        perHost: 2,
        lang: 'en',
        everySec: 0.01,
        stuckAfter: 3,
        maxRounds: 6,
        graceMs: 10,
        onUpdate: (s) => {
          if (s.current) round = s.current.round;
        },
        onRound: (_i, s) => rounds.push(s),
      },
      { grade, redact },
    );
    const bea = (s: WatchSnapshot) => s.students.find((x) => x.id === 'bea')!;
    const cell = (s: WatchSnapshot) => bea(s).cells[Q]!;
    expect(rounds.map((s) => s.round)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(rounds.map((s) => cell(s).outcome)).to.deep.equal(['fail', 'fail', 'fail', 'fail', 'pass', 'pass']);
    expect(rounds.map((s) => cell(s).rounds)).to.deep.equal([1, 2, 3, 4, 1, 2]);
    expect(rounds.map((s) => bea(s).stuck)).to.deep.equal([false, false, true, true, false, false]);
    expect(rounds.map((s) => cell(s).stuck)).to.deep.equal([false, false, true, true, false, false]);
    expect(cell(rounds[3]!).since).to.equal(cell(rounds[0]!).since);
    expect(cell(rounds[4]!).sinceRound).to.equal(5);
    // A pass never counts as stuck however long it holds.
    expect(rounds[5]!.students.find((x) => x.id === 'ana')!.cells[Q]!.rounds).to.equal(6);
    expect(rounds[5]!.students.find((x) => x.id === 'ana')!.stuck).to.equal(false);
    // First passes: ana in round 1, bea in round 5; one history line per round.
    const last = rounds[5]!;
    expect(last.firstPassed.ana![Q]!.round).to.equal(1);
    expect(last.firstPassed.bea![Q]!.round).to.equal(5);
    const history = (await readFile(join(dir, 'w', HISTORY_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as HistoryLine);
    expect(history.map((h) => h.round)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(history[4]!.firstPassed.filter((f) => f.question === Q).map((f) => f.student)).to.deep.equal(['bea']);
    expect(history[0]!.firstPassed.filter((f) => f.question === Q).map((f) => f.student)).to.deep.equal(['ana']);
    expect(history[4]!.students.bea!.cells[Q]).to.equal('pass');
  });

  it('a slow student never holds the others: their rounds go on, the slow one is marked stale, then catches up', async () => {
    const roster = await makeClass(dir, ['ana', 'slow']);
    let release: (() => void) | null = null;
    const gate = new Promise<void>((r) => (release = r));
    let slowCalls = 0;
    const grade: GradeFn = async (s) => {
      if (s.id === 'slow') {
        slowCalls++;
        if (slowCalls === 2) await gate; // its second grading hangs (a host that stopped answering)
      }
      return fakeResult(s.name);
    };
    const infos: RoundInfo[] = [];
    const snaps: WatchSnapshot[] = [];
    const stop = new AbortController();
    const slowIn = (s: WatchSnapshot) => s.students.find((x) => x.id === 'slow')!;
    await runWatch(
      roster,
      {
        exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') },
        outDir: join(dir, 'w'),
        concurrency: 2,
        perHost: 2,
        lang: 'en',
        everySec: 0.01,
        lateAfterSec: 2, // long beside a fake grading, even on a loaded machine; the hung one is late after it
        stuckAfter: 3,
        signal: stop.signal,
        graceMs: 10,
        onRound: (i, s) => {
          infos.push(i);
          snaps.push(s);
          if (i.round === 5) release!();
          // Stop once slow was graded again in a round of its own after the hang.
          if (i.round > 5 && slowIn(s).round! > 2) stop.abort();
        },
      },
      { grade, redact },
    );
    // Round 2 closed without the hung grading; ana was graded in every round meanwhile.
    expect(infos[1]!.late).to.deep.equal(['slow']);
    expect(slowIn(snaps[1]!).stale).to.equal(true);
    expect(slowIn(snaps[1]!).round).to.equal(1);
    expect(slowIn(snaps[1]!).grading).to.equal('running');
    const ana = snaps.map((s) => s.students.find((x) => x.id === 'ana')!.round);
    expect(ana.slice(0, 5)).to.deep.equal([1, 2, 3, 4, 5]);
    // While its grading hangs, slow is in no new round and stays stale.
    for (const i of infos.slice(2, 5)) expect(i.late).to.deep.equal([]);
    for (const s of snaps.slice(1, 5)) expect(slowIn(s).stale).to.equal(true);
    // Released after round 5: it catches up (its result, then new rounds of its own).
    const last = snaps[snaps.length - 1]!;
    expect(slowIn(last).stale).to.equal(false);
    expect(slowIn(last).round).to.be.greaterThan(5);
    await sleep(10);
  });

  it('stopping closes the current round: the running grading is abandoned, the previous result stays, the outputs are written', async () => {
    const roster = await makeClass(dir, ['ana', 'bea']);
    const controller = new AbortController();
    let calls = 0;
    const grade: GradeFn = async (s, ctx) => {
      if (s.id === 'bea' && ++calls === 2) {
        controller.abort(); // Ctrl-C while bea's second grading runs
        await new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))));
      }
      return fakeResult(s.name, s.id === 'bea' ? { failing: [Q] } : {});
    };
    const w = await runWatch(roster, { exercise: { ...EXERCISE, file: join(dir, 'spec.yaml') }, outDir: join(dir, 'w'), concurrency: 2, perHost: 2, lang: 'en', everySec: 0.01, stuckAfter: 3, signal: controller.signal, graceMs: 10 }, { grade, redact });
    expect(w.rounds).to.equal(2);
    const cls = JSON.parse(await readFile(join(dir, 'w', 'class.json'), 'utf8')) as ClassSummary;
    const bea = cls.students.find((s) => s.id === 'bea')!;
    expect(bea.status).to.equal('graded');
    expect(bea.verdicts[Q]).to.equal('fail');
    expect(await readFile(join(dir, 'w', 'students', 'bea.html'), 'utf8')).to.include('<html');
    const history = (await readFile(join(dir, 'w', HISTORY_FILE), 'utf8')).trim().split('\n');
    expect(history).to.have.length(2);
  });
});
