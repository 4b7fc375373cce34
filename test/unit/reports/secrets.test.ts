// No secret in any output: a result whose evidence and messages passed through redact() (as the
// engine does) renders in every format without the secret; the same result unredacted would leak,
// which shows the check can fail.
import { expect } from 'chai';
import type { GradeResult } from '../../../grader/types.js';
import { clearSecretsForTests, redact, registerSecret } from '../../../grader/inputs/secrets.js';
import { renderers, reportFormats } from '../../../reports/index.js';
import { loadSample } from './samples.js';

const SECRET = 'pa$$w0rd "with" <quotes> & more';

function withSecretEverywhere(r: GradeResult, clean: (s: string) => string): GradeResult {
  const out = structuredClone(r);
  out.errors = [clean(`winrm alumno@192.168.101.219: password ${SECRET} rejected`)];
  for (const task of out.tasks) {
    for (const v of [...task.hostChecks, ...task.questions]) {
      v.message = clean(`${v.message} (login with ${SECRET})`);
      v.evidence.push({
        guest: 'win10',
        transport: 'winrm',
        command: clean(`net use \\\\host /user:alumno ${SECRET}`),
        exitCode: 1,
        stdout: clean(`echo ${SECRET}\n${JSON.stringify({ password: SECRET })}`),
        stderr: clean(`Logon failure for ${SECRET}`),
        durationMs: 5,
        error: clean(`auth failed: ${SECRET}`),
      });
    }
  }
  return out;
}

describe('reports: no secret in any output', () => {
  before(() => registerSecret(SECRET));
  after(() => clearSecretsForTests());

  for (const format of reportFormats) {
    it(`${format}: the redacted result never shows the secret (in any spelling)`, () => {
      const r = withSecretEverywhere(loadSample('mixed'), redact);
      const out = renderers[format](r, { color: true });
      const spellings = [SECRET, JSON.stringify(SECRET).slice(1, -1), 'pa$$w0rd'];
      for (const s of spellings) expect(out, s).to.not.include(s);
      expect(out).to.include('***');
    });
  }

  it('without redaction the same result would leak (the check above can fail)', () => {
    const leaky = withSecretEverywhere(loadSample('mixed'), (s) => s);
    for (const format of reportFormats) expect(renderers[format](leaky)).to.include('pa$$w0rd');
  });
});
