import { expect } from 'chai';
import { Progress, formatDuration, liveLine } from '../../../grader/batch/progress.js';
import type { RosterStudent } from '../../../grader/batch/roster.js';
import type { StudentRecord } from '../../../grader/batch/types.js';

const student = (id: string) => ({ id, name: id, index: 0, lab: { kind: 'file', path: '' }, answers: '', task: 'auto', deadlineSec: 1 }) as RosterStudent;
const record = (id: string, status: StudentRecord['status'], error?: string): StudentRecord => ({
  schemaVersion: 1,
  id,
  status,
  inputHash: 'h',
  hashes: { spec: '', answers: '', lab: '', options: '' },
  startedAt: '',
  finishedAt: '',
  durationMs: 1500,
  ...(error ? { error: { code: 'x', message: error } } : {}),
  files: { json: '', html: '' },
});

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 120, write: (s: string) => chunks.push(s) } };
}

describe('batch: progress', () => {
  it('without a TTY: one plain line per student, no carriage returns', () => {
    const { chunks, stream } = sink(false);
    const p = new Progress(stream, 'en');
    p.onEvent({ type: 'queued', total: 3, reused: 1 });
    p.onEvent({ type: 'reused', student: student('a'), record: record('a', 'graded'), percent: 100 });
    p.onEvent({ type: 'start', student: student('b') });
    p.onEvent({ type: 'done', student: student('b'), record: record('b', 'graded'), percent: 85.5 });
    p.onEvent({ type: 'start', student: student('c') });
    p.onEvent({ type: 'done', student: student('c'), record: record('c', 'failed', 'could not connect to ssh c: \u001b[31mboom'), percent: null });
    p.stop();
    const text = chunks.join('');
    expect(text).to.not.include('\r');
    expect(text.split('\n').filter(Boolean)).to.deep.equal([
      '[1/3] a: already graded (--resume)',
      '[2/3] b: graded 85.5% (1.5 s)',
      '[3/3] c: failed (1.5 s) — could not connect to ssh c: boom',
    ]);
  });

  it('status words in colour when colour is on (one line per student, e.g. -v on a terminal), plain otherwise', () => {
    const { chunks, stream } = sink(false);
    const p = new Progress(stream, 'en', false, true);
    p.onEvent({ type: 'queued', total: 2, reused: 0 });
    p.onEvent({ type: 'done', student: student('b'), record: record('b', 'graded'), percent: 100 });
    p.onEvent({ type: 'done', student: student('c'), record: record('c', 'failed', 'boom'), percent: null });
    const text = chunks.join('');
    expect(text).to.include('\u001b[32mgraded\u001b[0m').and.include('\u001b[31mfailed\u001b[0m');
    const plain = sink(false);
    const q = new Progress(plain.stream, 'en', false, false);
    q.onEvent({ type: 'done', student: student('b'), record: record('b', 'graded'), percent: 100 });
    expect(plain.chunks.join('')).to.not.include('\u001b[');
  });

  it('on a TTY: one live line redrawn in place with done / with problems / running', () => {
    const { chunks, stream } = sink(true);
    const p = new Progress(stream, 'en');
    p.onEvent({ type: 'queued', total: 4, reused: 0 });
    p.onEvent({ type: 'start', student: student('a') });
    p.onEvent({ type: 'start', student: student('b') });
    p.onEvent({ type: 'done', student: student('a'), record: record('a', 'incomplete'), percent: 50 });
    p.stop();
    expect(chunks.every((c) => c.startsWith('\r') || c === '\n')).to.equal(true);
    const last = chunks.filter((c) => c.startsWith('\r')).at(-1)!;
    expect(last).to.match(/\[#{6}\.{18}\] 1\/4 done, 1 with problems, 1 running/);
    expect(last).to.match(/left/);
    expect(chunks.at(-1)).to.equal('\n');
  });

  it('formats durations for the ETA', () => {
    expect(formatDuration(4_400)).to.equal('4s');
    expect(formatDuration(125_000)).to.equal('2m05s');
    expect(formatDuration(3_725_000)).to.equal('1h02m');
  });

  it('keeps the live line inside any terminal width, even 0 (unknown) columns', () => {
    const text = '3/10 done, 1 with problems, 2 running · about 1m05s left';
    expect(liveLine(text, 3, 10, 120)).to.equal(`[#######.................] ${text}`);
    expect(liveLine(text, 3, 10, 0)).to.equal(text); // 0 = unknown: 80 columns, too few for bar and text
    expect(liveLine(text, 3, 10, undefined)).to.equal(text);
    expect(liveLine('3/10 done', 3, 10, 0)).to.equal('[#######.................] 3/10 done');
    expect(liveLine(text, 3, 10, 60)).to.equal(text.slice(0, 59)); // no room for the bar: text only
    expect(liveLine(text, 3, 10, 1)).to.equal('');
    expect(liveLine('año · ñandú', 0, 0, 6)).to.equal('año ·'); // whole characters, never half of one
    for (const cols of [0, 1, 2, 5, 20, 40, 79, 80, 200]) {
      expect([...liveLine(text, 10, 10, cols)].length).to.be.at.most(cols > 0 ? cols - 1 : 79);
    }
  });
});
