// `labgrade watch` on the real lab, in a real browser (Debian's /usr/bin/chromium through
// playwright-core): two roster students on the lab's guests; the page shows both; the failing
// student is marked stuck after --stuck rounds; a guest is shut down and the affected cells change
// within one round with no reload (SSE); every request the page makes stays on its origin; the end
// writes batch's outputs and the history.
// Run: flock /tmp/labgrade-labtests.lock npm test -- test/lab/watch
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile, copyFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { execa } from 'execa';
import { chromium, type BrowserContext } from 'playwright-core';
import { ensureLab, useScenario, LAB } from '../../helpers/lab.js';
import { runWatchCli } from '../../../grader/cli/commands/watch.js';
import type { ClassSummary } from '../../../grader/batch/summary.js';
import type { HistoryLine } from '../../../grader/watch/state.js';

const SPEC = join(process.cwd(), 'exercises', 'clase2-redes.yaml');
const DEMO = join(process.cwd(), 'exercises', 'demo');
const CHROMIUM = '/usr/bin/chromium';
const SHUT_DOWN = 'debian12';

function rosterYaml(): string {
  const ssh = `{ ssh: { user: root, key: ${LAB.sshKey}, known_hosts: ${LAB.knownHosts} } }`;
  const pair = (linux: string, windows: string) =>
    `{ vms: { linux: { domain: ${linux}, access: [${ssh}, agent] }, windows: { domain: ${windows}, os: linux, access: [${ssh}, agent] } } }`;
  return `version: 1
defaults:
  lab:
    uri: ${LAB.uri}
    netns: ${LAB.netns}
    networks: { nat: red-nat, isolated: red-aislada, very_isolated: red-muy-aislada }
    probes: { outside_host: ${LAB.outsideHost}, resolve_name: ${LAB.resolveName}, timeout_ms: 1000 }
    vms:
      linux: { domain: debian12, access: [${ssh}, agent] }
      windows: { domain: win10, os: linux, access: [${ssh}, agent] }
  answers: answers/{id}.yaml
  deadline: 120
limits: { concurrency: 2, perHost: 2 }
export: { identity: email, scale: 10 }
students:
  - { id: ana, name: Ana Correcta, email: ana@x.org, task: nat }
  - { id: bea, name: Bea Errores, email: bea@x.org, task: isolated, lab: ${pair('debian12-iso', 'win10-iso')} }
`;
}

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString('utf8');
    cb();
  }
}

async function browser(): Promise<{ ctx: BrowserContext; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'labgrade-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1300, height: 900 },
  });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

describe('watch on the real lab, in Chromium', function () {
  let dir: string;

  before(async function () {
    await ensureLab(this, 'all');
    if (!existsSync(CHROMIUM)) this.skip();
    await useScenario('all');
    dir = await mkdtemp(join(tmpdir(), 'labgrade-watch-lab-'));
    await writeFile(join(dir, 'roster.yaml'), rosterYaml());
    await mkdir(join(dir, 'answers'));
    await copyFile(join(DEMO, 'answers-correct.yaml'), join(dir, 'answers', 'ana.yaml'));
    await copyFile(join(DEMO, 'answers-mistakes.yaml'), join(dir, 'answers', 'bea.yaml'));
  });

  after(async function () {
    this.timeout(10 * 60_000);
    await useScenario('all'); // the stopped guest comes back for the other suites
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('shows both students, marks the stuck one, follows a shut-down guest live, stays on its origin', async function () {
    this.timeout(15 * 60_000);
    const stdout = new Collect();
    const stderr = new Collect();
    const stop = new AbortController();
    const out = join(dir, 'out');
    const running = runWatchCli(
      SPEC,
      { roster: join(dir, 'roster.yaml'), every: '2', stuck: '2', listen: '127.0.0.1:0', out },
      { lang: 'en' },
      { stdout, stderr, signal: stop.signal },
    );
    running.catch(() => undefined);
    let url = '';
    for (let i = 0; i < 600 && !url; i++) {
      url = /Live page: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout.text)?.[1] ?? '';
      if (!url) await new Promise((r) => setTimeout(r, 100));
    }
    expect(url, stdout.text + stderr.text).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const origin = new URL(url).origin;

    const { ctx, close } = await browser();
    const requests: string[] = [];
    ctx.on('request', (r) => requests.push(r.url()));
    try {
      const page = await ctx.newPage();
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await page.goto(url, { waitUntil: 'load' });
      // Both students on the page, with cells once their first grading ends.
      await page.waitForSelector('tr[data-student="ana"] td.cell[data-outcome="pass"]', { timeout: 5 * 60_000 });
      await page.waitForSelector('tr[data-student="bea"] td.cell[data-outcome="fail"]', { timeout: 5 * 60_000 });
      expect(await page.$$eval('tr[data-student]', (rows) => rows.map((r) => r.getAttribute('data-student')))).to.deep.equal(['ana', 'bea']);
      // From here on the page must never reload: a mark in the window would disappear.
      await page.evaluate(() => ((window as unknown as { __mark: number }).__mark = 42));

      // Bea keeps the same mistakes: stuck after --stuck 2 rounds, pushed to the open page.
      await page.waitForSelector('tr[data-student="bea"] [data-stuck="bea"]', { timeout: 5 * 60_000 });
      expect(await page.$$eval('tr[data-student="bea"] td.cell.stuck', (els) => els.length)).to.be.greaterThan(0);
      expect(await page.$$eval('tr[data-student="ana"] [data-stuck]', (els) => els.length)).to.equal(0);
      // The class's common mistakes come with their hint.
      expect(await page.$$eval('#mistake-list [data-mistake]', (els) => els.length)).to.be.greaterThan(0);

      // Ana's Linux guest is shut down: her Linux cells change within one round, no reload.
      const anaLinux = () =>
        page.$$eval('tr[data-student="ana"] td.cell', (tds) =>
          Object.fromEntries(tds.filter((td) => /^ana\|nat\..*\.linux$/.test(td.getAttribute('data-cell') ?? '')).map((td) => [td.getAttribute('data-cell'), td.getAttribute('data-outcome')])),
        );
      const before = await anaLinux();
      expect(Object.keys(before).length).to.be.greaterThan(0);
      expect(Object.values(before).every((o) => o === 'pass'), JSON.stringify(before)).to.equal(true);
      await execa('virsh', ['-c', LAB.uri, 'destroy', SHUT_DOWN]);
      const roundAtShutdown = Number(await page.getAttribute('body', 'data-round'));
      await page.waitForFunction(
        () => [...document.querySelectorAll('tr[data-student="ana"] td.cell')].some((td) => /^ana\|nat\..*\.linux$/.test(td.getAttribute('data-cell') ?? '') && td.getAttribute('data-outcome') !== 'pass'),
        undefined,
        { timeout: 5 * 60_000, polling: 200 },
      );
      // Changed while at most one more round closed: the round running at the shutdown may have
      // measured before it; the next one shows it.
      const roundAtChange = Number(await page.getAttribute('body', 'data-round'));
      expect(roundAtChange).to.be.at.most(roundAtShutdown + 2);
      const after = await anaLinux();
      expect(Object.values(after).some((o) => o !== 'pass'), JSON.stringify(after)).to.equal(true);
      expect(await page.evaluate(() => (window as unknown as { __mark?: number }).__mark)).to.equal(42);
      // Bea (other guests) is untouched by the shutdown.
      expect(await page.$$eval('tr[data-student="bea"] td.cell[data-outcome="fail"]', (els) => els.length)).to.be.greaterThan(0);

      // A click on a student opens the latest report (same origin).
      const [popup] = await Promise.all([ctx.waitForEvent('page'), page.click('a[data-report="bea"]')]);
      await popup.waitForLoadState('load');
      expect(await popup.textContent('#student-name')).to.equal('Bea Errores');
      await popup.close();
      await page.screenshot({ path: join(process.cwd(), 'test-artifacts', 'watch-lab.png'), fullPage: true }).catch(() => undefined);

      expect(consoleErrors).to.deep.equal([]);
      expect(requests.length).to.be.greaterThan(0);
      for (const r of requests) expect(new URL(r).origin, r).to.equal(origin);
    } finally {
      await close();
      stop.abort();
    }
    const code = await running;
    expect([0, 1]).to.include(code);
    // The end: batch's outputs and one history line per round.
    const cls = JSON.parse(await readFile(join(out, 'class.json'), 'utf8')) as ClassSummary;
    expect(cls.students.map((s) => s.id)).to.deep.equal(['ana', 'bea']);
    expect(cls.students.find((s) => s.id === 'bea')!.status).to.equal('graded');
    expect(await readFile(join(out, 'grades.csv'), 'utf8')).to.include('bea@x.org');
    expect(existsSync(join(out, 'index.html'))).to.equal(true);
    const history = (await readFile(join(out, 'history.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as HistoryLine);
    expect(history.length).to.be.greaterThan(2);
    expect(history.flatMap((h) => h.firstPassed).some((f) => f.student === 'ana')).to.equal(true);
    // One line per round on the terminal.
    expect(stderr.text.match(/^Round \d+ /gm)?.length ?? 0).to.equal(history.length);
  });
});
