// The live page in headless Chromium with a fake grader (no lab): both students shown, a change is
// pushed to the open page (no reload), "stuck" after --stuck rounds, hostile roster text stays text,
// the CSP holds (no violation, no inline handler), and no request leaves the page's origin.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { loadRoster } from '../../../grader/batch/roster.js';
import { redact } from '../../../grader/inputs/secrets.js';
import type { GradeFn } from '../../../grader/batch/types.js';
import { runWatch } from '../../../grader/watch/loop.js';
import { startWatchServer } from '../../../grader/watch/server.js';
import { WatchState, type WatchSnapshot } from '../../../grader/watch/state.js';
import { CHROMIUM, chromiumAvailable } from '../reports/chromium.js';
import { fakeResult, writeFiles } from '../batch/helpers.js';
import { HOSTILE_NAME } from '../reports/samples.js';

const Q = 'nat.config.linux';

describe('watch: the live page in headless Chromium (fake grader)', function () {
  this.timeout(120_000);
  let dir: string;
  before(async function () {
    if (!chromiumAvailable()) this.skip();
    dir = await mkdtemp(join(tmpdir(), 'labgrade-watch-page-'));
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows both students, pushes changes without a reload, marks stuck, stays on its origin', async () => {
    await writeFiles(dir, {
      'spec.yaml': 'id: fake\n',
      'answers/ana.yaml': 'x: 1\n',
      'answers/bea.yaml': 'x: 1\n',
      'roster.yaml': `defaults:\n  answers: answers/{id}.yaml\n  lab: { uri: "qemu:///system", vms: { linux: { domain: d, access: [agent] } } }\nstudents:\n  - { id: ana, name: ${JSON.stringify(HOSTILE_NAME)}, email: ana@x.org }\n  - { id: bea, name: Bea, email: bea@x.org }\n`,
    });
    const roster = await loadRoster(join(dir, 'roster.yaml'), 'en');
    // The test moves the class on: ana passes until `anaBroken`; bea always fails Q.
    let anaBroken = false;
    let roundGate: (() => void) | null = null;
    let gate = Promise.resolve();
    const grade: GradeFn = async (s) => {
      await gate;
      return fakeResult(s.name, s.id === 'bea' ? { failing: [Q] } : anaBroken ? { unmeasured: [Q] } : {});
    };
    const exercise = { id: 'clase2-redes', title: 'Clase 2', file: join(dir, 'spec.yaml') };
    let latest: WatchSnapshot = new WatchState(roster, { exercise, lang: 'en', version: '0', everySec: 0.2, stuckAfter: 3, now: () => new Date() }).snapshot();
    const server = await startWatchServer({ listen: { host: '127.0.0.1', port: 0 }, token: null, lang: 'en', outDir: join(dir, 'out'), ids: new Set(['ana', 'bea']), snapshot: () => latest });
    const stop = new AbortController();
    const origin = `http://127.0.0.1:${server.port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    const requests: string[] = [];
    const problems: string[] = [];
    let watching: Promise<unknown> = Promise.resolve();
    try {
      const page = await browser.newPage();
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('dialog', async (d) => {
        problems.push(`dialog ${d.message()}`);
        await d.dismiss();
      });
      await page.goto(`${origin}/`, { waitUntil: 'load' });
      await page.evaluate(() => ((window as unknown as { __mark: number }).__mark = 7));
      // Rounds start only now, with the page open.
      gate = new Promise<void>((r) => (roundGate = r));
      watching = runWatch(
        roster,
        {
          exercise,
          outDir: join(dir, 'out'),
          concurrency: 2,
          perHost: 2,
          lang: 'en',
          everySec: 0.2,
          stuckAfter: 3,
          signal: stop.signal,
          graceMs: 10,
          onUpdate: (s) => {
            latest = s;
            server.publish('state', s);
          },
          onRound: (_i, s) => {
            latest = s;
            server.publish('round', s);
          },
        },
        { grade, redact },
      );
      roundGate!();
      await page.waitForSelector(`tr[data-student="ana"] td.cell[data-cell="ana|${Q}"][data-outcome="pass"]`);
      await page.waitForSelector(`tr[data-student="bea"] td.cell[data-cell="bea|${Q}"][data-outcome="fail"]`);
      expect(await page.$$eval('tr[data-student]', (rows) => rows.map((r) => r.getAttribute('data-student')))).to.deep.equal(['ana', 'bea']);
      // The hostile name is the link's text, nothing was injected.
      expect(await page.textContent('a[data-report="ana"]')).to.equal(HOSTILE_NAME);
      expect(await page.$$eval('img, iframe, object, embed', (els) => els.length)).to.equal(0);
      // Bea: the same failure for 3 rounds -> stuck, pushed to the open page.
      await page.waitForSelector('[data-stuck="bea"]');
      expect(await page.getAttribute(`td.cell[data-cell="bea|${Q}"]`, 'data-stuck')).to.equal('1');
      expect(Number(await page.getAttribute(`td.cell[data-cell="bea|${Q}"]`, 'data-rounds'))).to.be.at.least(3);
      // Ana's guest "goes away": her cell changes on the open page.
      anaBroken = true;
      await page.waitForSelector(`td.cell[data-cell="ana|${Q}"][data-outcome="error"]`);
      expect(await page.evaluate(() => (window as unknown as { __mark?: number }).__mark)).to.equal(7);
      expect(Number(await page.getAttribute('body', 'data-events'))).to.be.greaterThan(2);
      // The mistakes list carries the hint.
      expect(await page.textContent(`[data-mistake="${Q}"] .hint`)).to.include('Revise the DHCP range.');
      expect(problems).to.deep.equal([]);
      for (const r of requests) expect(new URL(r).origin, r).to.equal(origin);
      expect(requests.some((r) => r.endsWith('/events'))).to.equal(true);
    } finally {
      await browser.close();
      stop.abort();
      await watching;
      await server.close();
    }
  });
});
