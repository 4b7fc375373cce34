// The HTML report in headless Chromium (Debian's /usr/bin/chromium via playwright-core): the
// verdicts render, a hostile student name stays text (no dialog, no injected element), the page
// needs nothing from the network, and screenshots are kept under test-artifacts/ for a human look.
import { formatNumber } from '../../../grader/i18n/translate.js';
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderers } from '../../../reports/index.js';
import { ARTIFACTS, chromiumAvailable, withChromium } from './chromium.js';
import { HOSTILE_NAME, SAMPLES, loadSample } from './samples.js';
import { skippedTaskReason } from '../../../reports/labels.js';

describe('reports: html in headless Chromium', function () {
  this.timeout(60_000);
  let dir: string;
  before(async function () {
    if (!chromiumAvailable()) this.skip();
    dir = await mkdtemp(join(tmpdir(), 'labgrade-html-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const sample of SAMPLES) {
    it(`${sample}: renders every verdict, keeps hostile strings as text, no request, no dialog`, async () => {
      const r = loadSample(sample);
      const file = join(dir, `${sample}.html`);
      await writeFile(file, renderers.html(r));
      await withChromium(async (ctx) => {
        const page = await ctx.newPage();
        const dialogs: string[] = [];
        const requests: string[] = [];
        const consoleErrors: string[] = [];
        page.on('dialog', async (d) => {
          dialogs.push(d.message());
          await d.dismiss();
        });
        page.on('request', (req) => {
          if (!req.url().startsWith('file://')) requests.push(req.url());
        });
        page.on('console', (m) => {
          if (m.type() === 'error') consoleErrors.push(m.text());
        });
        await page.goto(`file://${file}`, { waitUntil: 'load' });

        // One verdict block/row per verdict, with the right outcome.
        const shown = await page.$$eval('[data-verdict]', (els) =>
          els.map((e) => ({ id: e.getAttribute('data-verdict'), outcome: e.querySelector('[data-outcome]')?.getAttribute('data-outcome') })),
        );
        // Tasks skipped as a whole are one line, not a list of skips.
        const verdicts = r.tasks.filter((t) => skippedTaskReason(t) === null).flatMap((t) => [...t.hostChecks, ...t.questions]);
        expect(shown.map((x) => x.id).sort()).to.deep.equal(verdicts.map((v) => v.id).sort());
        for (const v of verdicts) {
          const want = v.outcome === 'fail' && v.severity === 'warning' ? 'warning' : v.outcome;
          expect(shown.find((x) => x.id === v.id)?.outcome, v.id).to.equal(want);
        }
        // The name is the visible text of the heading; nothing got injected.
        expect(await page.textContent('#student-name')).to.equal(r.student.name);
        expect(await page.$$eval('img, script, svg, iframe, object, embed', (els) => els.length)).to.equal(0);
        // Every question verdict shows the answer as written (hostile text as inert text) and as read.
        const written = await page.$$eval('dd.written', (els) => els.map((e) => e.textContent));
        expect(written.length).to.equal(r.tasks.flatMap((t) => t.questions).filter((q) => q.answerWritten != null && skippedTaskReason(r.tasks.find((t) => t.id === q.task)!) === null).length);
        if (sample === 'mixed') {
          expect(written).to.include('<script>alert(1)</script>␛]0;pwned␇␛[2J; reboot');
          expect(await page.textContent('[data-verdict="nat.vm_to_vm.linux"] dd.answer')).to.equal('(unreadable answer)');
        }
        // The percent as the report's language writes it ("92,9" in Spanish, "92.9" in English).
        expect(await page.textContent('#score-percent')).to.match(new RegExp(`^${formatNumber(r.lang, r.totals.percent, 1).replace('.', '\\.')}\\s*%`));
        // Evidence is folded away.
        const openDetails = await page.$$eval('details[open]', (els) => els.length);
        expect(openDetails).to.equal(0);
        const skippedTasks = r.tasks.filter((t) => skippedTaskReason(t) !== null).map((t) => `task-${t.id}`);
        expect(await page.$$eval('.skipped-task', (els) => els.map((e) => e.id))).to.deep.equal(skippedTasks);
        expect(dialogs).to.deep.equal([]);
        expect(requests).to.deep.equal([]);
        expect(consoleErrors.filter((m) => !/Content Security Policy/.test(m))).to.deep.equal([]);

        await page.screenshot({ path: join(ARTIFACTS, `report-${sample}.png`), fullPage: true });
        // The print layout (@media print), kept for a look.
        await page.emulateMedia({ media: 'print' });
        await page.screenshot({ path: join(ARTIFACTS, `report-${sample}-print.png`), fullPage: true });
      });
      if (sample === 'mixed') expect(r.student.name).to.equal(HOSTILE_NAME);
    });
  }
});
