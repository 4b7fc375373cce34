// A real `check` against the lab, run by labgrade as users get it: the npm tarball installed into a
// temporary prefix, and the single executable on a PATH without node. Root; run under the lab lock:
//   flock /tmp/labgrade-labtests.lock node test/run.mjs test/lab/package/installed-check.test.ts
// The reference answers score 100 % on the NAT task; the mistakes file fails with exit 1.
import { expect } from 'chai';
import { delimiter, join } from 'node:path';
import { ensureLab, labFileFor, useScenario } from '../../helpers/lab.js';
import { ROOT, packedInstall, pathWithoutNode, runWith, singleExecutable } from '../../helpers/install.js';
import type { GradeResult } from '../../../grader/types.js';

const NAT = { linux: 'debian12', windows: 'win10' };

function graded(r: { code: number | null; stdout: string; stderr: string }): GradeResult {
  try {
    return JSON.parse(r.stdout) as GradeResult;
  } catch {
    throw new Error(`no JSON result (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
}

describe('the installed package and the single executable grade the real lab', function () {
  let lab: string;
  before(async function () {
    await ensureLab(this, 'all');
    this.timeout(20 * 60_000);
    await useScenario('all');
    lab = await labFileFor(NAT);
  });

  it('npm tarball: check clase2-redes (by id) scores 100 % with the reference answers, exit 0', function () {
    this.timeout(15 * 60_000);
    const { bin, pkgDir, binDir } = packedInstall();
    const path = `${binDir}${delimiter}${process.env.PATH ?? ''}`;
    const answers = join(pkgDir, 'exercises', 'demo', 'answers-correct.yaml');
    const r = runWith(bin, ['check', 'clase2-redes', '--lab', lab, '--answers', answers, '--task', 'nat', '--format', 'json'], { path });
    const result = graded(r);
    expect(r.code, r.stderr).to.equal(0);
    expect(result.totals.percent).to.equal(100);
    expect(result.exercise.file.startsWith(pkgDir)).to.equal(true);
  });

  it('single executable without node: the same check scores 100 % (exit 0); the mistakes fail (exit 1)', function () {
    this.timeout(15 * 60_000);
    if (process.arch !== 'x64') this.skip();
    const bin = singleExecutable();
    const path = pathWithoutNode();
    const ok = runWith(bin, ['check', 'clase2-redes', '--lab', lab, '--answers', join(ROOT, 'exercises', 'demo', 'answers-correct.yaml'), '--task', 'nat', '--format', 'json'], { path });
    const result = graded(ok);
    expect(ok.code, ok.stderr).to.equal(0);
    expect(result.totals.percent).to.equal(100);
    const bad = runWith(bin, ['check', 'clase2-redes', '--lab', lab, '--answers', join(ROOT, 'exercises', 'demo', 'answers-mistakes.yaml'), '--task', 'nat', '--format', 'json'], { path });
    const wrong = graded(bad);
    expect(bad.code, bad.stderr).to.equal(1);
    expect(wrong.totals.fail).to.be.greaterThan(0);
    expect(wrong.totals.error, JSON.stringify(wrong.errors)).to.equal(0);
  });
});
