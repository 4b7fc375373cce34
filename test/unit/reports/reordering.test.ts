// Issue 22 item 8: C1 controls (U+009B is a terminal's CSI) and bidi overrides/isolates in a
// student's or a guest's text are shown as visible symbols in every human format (text, HTML,
// JUnit), never passed on raw. One place decides (grader/util/visible.ts `inert`).
import { expect } from 'chai';
import { renderers } from '../../../reports/index.js';
import { escapeHtml, escapeXml, escapeXmlText, stripControls } from '../../../reports/escape.js';
import { loadSample } from './samples.js';

const RAW = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/u;
const HOSTILE = 'evil\u009b2J\u202eexe.txt\u2066iso\u2069\u0085';

describe('reports: C1 and bidi controls are made visible in every human format', () => {
  it('the escapers show them as ⟨U+…⟩', () => {
    for (const [name, f] of [['html', escapeHtml], ['xml', escapeXml], ['xmlText', escapeXmlText], ['text', stripControls]] as const) {
      const out = f(HOSTILE);
      expect(RAW.test(out), name).to.equal(false);
      expect(out, name).to.include('⟨U+009B⟩').and.include('⟨U+202E⟩').and.include('⟨U+2066⟩').and.include('⟨U+2069⟩');
    }
  });

  it('a result carrying them in the name, a message, an answer and evidence renders without them', () => {
    const r = loadSample('mixed');
    r.student.name = `Ana ${HOSTILE}`;
    const v = r.tasks[0]!.questions[0]!;
    v.message = `msg ${HOSTILE}`;
    for (const task of r.tasks) for (const q of task.questions) for (const e of q.evidence ?? []) e.stdout = `${e.stdout}${HOSTILE}`;
    for (const format of ['text', 'html', 'junit'] as const) {
      const out = renderers[format](r, { lang: 'en' });
      expect(RAW.test(out), format).to.equal(false);
      expect(out, format).to.include('⟨U+202E⟩');
    }
  });
});
