// The engine against the SHIPPED spec (exercises/clase2-redes.yaml): every question check it names
// exists, and the course's reference lab + reference answers score 100 % on each task.
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { questionChecks, questionCheckList } from '../../../checks/questions/index.js';
import { answersFile, fakeDeps, labFile, referenceAnswers, referenceGuests, snapshot } from '../../fixtures/engine/world.js';

const SPEC = fileURLToPath(new URL('../../../exercises/clase2-redes.yaml', import.meta.url));

describe('engine with the shipped spec', () => {
  it('every question names a registered question check of the right kind, each registered once', async () => {
    const spec = await loadSpec(SPEC);
    const names = questionCheckList.map((c) => c.name);
    expect(new Set(names).size).to.equal(names.length);
    for (const q of Object.values(spec.questions)) {
      expect(questionChecks[q.check], `check ${q.check} of question ${q.id}`).to.not.equal(undefined);
      expect(questionChecks[q.check]!.kind).to.equal(q.kind);
    }
  });

  const NET = { nat: 'red-nat', isolated: 'red-aislada', very_isolated: 'red-muy-aislada' } as const;
  for (const task of ['nat', 'isolated', 'very_isolated'] as const) {
    it(`reference answers score 100 % on ${task} (es and en)`, async () => {
      const spec = await loadSpec(SPEC);
      for (const lang of ['es', 'en'] as const) {
        const { deps } = fakeDeps(snapshot({ linux: NET[task], windows: NET[task] }), referenceGuests(task));
        const r = await gradeStudent({ spec, lab: labFile(), answers: answersFile({ [task]: referenceAnswers(task) }), task: 'auto', lang, deps });
        const bad = r.tasks.flatMap((t) => t.questions).filter((q) => q.outcome !== 'pass' && q.outcome !== 'skip');
        expect(bad.map((q) => `${q.id}: ${q.message}`)).to.deep.equal([]);
        expect(r.totals.percent).to.equal(100);
        expect(r.exitCode).to.equal(0);
        // No verdict of a correct lab is flagged against theory.
        expect(r.tasks.flatMap((t) => t.questions).filter((q) => q.codes.includes('lab-contradicts-theory')).map((q) => q.id)).to.deep.equal([]);
      }
    });
  }
});
