// Answers as students write them, against the real lab (root; under the lab lock):
//   flock /tmp/labgrade-labtests.lock node test/run.mjs test/lab/check/answers.test.ts
// A student with one unreadable answer gets every other question graded and a clear verdict on
// that one, in `check` and in `batch` (exit 1, never 2); hostile answers (terminal escapes, markup,
// shell syntax) are unreadable and stay inert: as symbols in the terminal and validate's messages,
// as text in the HTML report opened in headless Chromium.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLab, labFileFor, useScenario, LAB } from '../../helpers/lab.js';
import { chromiumAvailable, withChromium } from '../../unit/reports/chromium.js';
import type { GradeResult, Verdict } from '../../../grader/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = `${root}exercises/clase2-redes.yaml`;
const PAIR = { linux: 'debian12-iso', windows: 'win10-iso' };
const ESC = '\u001b';

/** The isolated task answered as students write it, with one unreadable answer (config). */
const ONE_UNREADABLE = `exercise: clase2-redes
student: { name: Lucía Lectora }
answers:
  isolated:
    config: "estática o dinámica, una de las dos"
    vm_config:
      linux: "192.168.102.2 255.255.255.0, sin puerta de enlace, sin DNS"
      windows: |
        Adaptador de Ethernet Ethernet:

           Dirección IPv4. . . . . . . . . . . . . . : 192.168.102.3(Preferido)
           Máscara de subred . . . . . . . . . . . . : 255.255.255.0
           Puerta de enlace predeterminada . . . . . :
    outside: "no (timeout)"
    dns: "no resuelve"
    dns_server: "ninguno; reboot"
    vm_to_vm: "sí, hay conectividad"
    host: "si, responde al ping"
`;

/** Hostile answers: a terminal-hijacking escape, markup, shell syntax. */
const HOSTILE = `exercise: clase2-redes
student: { name: Hugo Hostil }
answers:
  isolated:
    config: estática
    outside: "\\e]0;pwned\\a\\e[2J"
    dns: "<script>alert(1)</script><img src=x onerror=alert(2)>"
    dns_server: "$(reboot)"
    vm_to_vm: sí
    host: sí
`;

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [`${root}bin/labgrade.js`, ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function questions(r: GradeResult): Verdict[] {
  return r.tasks.find((t) => t.id === 'isolated')!.questions;
}

describe('answers as students write them, on the real lab', function () {
  let dir: string;
  let lab: string;
  before(async function () {
    await ensureLab(this, 'all');
    this.timeout(10 * 60_000);
    await useScenario('all');
    dir = await mkdtemp(join(tmpdir(), 'labgrade-answers-lab-'));
    await writeFile(join(dir, 'lucia.yaml'), ONE_UNREADABLE);
    await writeFile(join(dir, 'hugo.yaml'), HOSTILE);
    lab = await labFileFor(PAIR);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('check: one unreadable answer is its own verdict; every other question is graded (exit 1)', async function () {
    this.timeout(300_000);
    const r = cli(['check', SPEC, '--lab', lab, '--answers', join(dir, 'lucia.yaml'), '--task', 'isolated', '--format', 'json', '--lang', 'en']);
    expect(r.status, r.stderr).to.equal(1);
    const result = JSON.parse(r.stdout) as GradeResult;
    const qs = questions(result);
    const unreadable = qs.filter((q) => q.codes.includes('unreadable-answer'));
    expect(unreadable.map((q) => q.id).sort()).to.deep.equal(['isolated.config.linux', 'isolated.config.windows']);
    for (const q of unreadable) {
      expect(q.outcome).to.equal('fail');
      expect(q.points).to.equal(0);
      expect(q.answerWritten).to.equal('estática o dinámica, una de las dos');
      expect(q.studentAnswer).to.equal(null);
      expect(q.message).to.match(/^Unreadable answer \(0 points\): ambiguous answer .*Understood, for example: "static".*What was observed is "static"/);
    }
    const others = qs.filter((q) => !q.codes.includes('unreadable-answer'));
    expect(others.length).to.equal(12);
    expect(others.filter((q) => q.outcome !== 'pass').map((q) => `${q.id}: ${q.message}`)).to.deep.equal([]);
    const win = qs.find((q) => q.id === 'isolated.vm_config.windows')!;
    expect(win.studentAnswer).to.equal('192.168.102.3/24, gateway none, DNS none');
    expect(win.answerWritten).to.match(/Dirección IPv4/);
    const server = qs.find((q) => q.id === 'isolated.dns_server.linux')!;
    expect(server.answerIgnored).to.deep.equal(['reboot']);

    // The text report says it in words: written, read as, and the reason.
    const text = cli(['check', SPEC, '--lab', lab, '--answers', join(dir, 'lucia.yaml'), '--task', 'isolated', '--lang', 'es']);
    expect(text.status, text.stderr).to.equal(1);
    expect(text.stdout).to.include('Escrita: estática o dinámica, una de las dos');
    expect(text.stdout).to.include('Leída como: (respuesta ilegible)');
    expect(text.stdout).to.include('Respuesta ilegible (0 puntos)');

    // validate still lists it, so the student can fix it before submitting.
    const val = cli(['validate', join(dir, 'lucia.yaml'), '--lang', 'en']);
    expect(val.status).to.equal(2);
    expect(val.stderr).to.match(/lucia\.yaml:5:13 \(answers\.isolated\.config\): unreadable answer: ambiguous answer/);
    expect(val.stdout).to.match(/answers\.isolated\.dns_server.*reboot/);
  });

  it('check: hostile answers are unreadable and inert in the terminal, validate and the HTML report', async function () {
    this.timeout(300_000);
    const text = cli(['check', SPEC, '--lab', lab, '--answers', join(dir, 'hugo.yaml'), '--task', 'isolated', '--lang', 'en']);
    expect(text.status, text.stderr).to.equal(1);
    expect(text.stdout.includes(ESC) || text.stdout.includes('\u0007'), 'no escape reaches the terminal').to.equal(false);
    expect(text.stdout).to.include('Written: ␛]0;pwned␇␛[2J');
    expect(text.stdout).to.include('Written: <script>alert(1)</script><img src=x onerror=alert(2)>');
    expect(text.stdout).to.include('Written: $(reboot)');
    expect(text.stdout.match(/Read as: \(unreadable answer\)/g)?.length).to.equal(6);

    const val = cli(['validate', join(dir, 'hugo.yaml'), '--lang', 'en']);
    expect(val.status).to.equal(2);
    expect(val.stderr.includes(ESC) || val.stderr.includes('\u0007')).to.equal(false);
    expect(val.stderr).to.match(/answers\.isolated\.outside\): unreadable answer: the answer holds a control character \(U\+001B\)/);
    expect(val.stderr).to.match(/answers\.isolated\.dns\): unreadable answer: the answer holds markup/);
    expect(val.stderr).to.match(/answers\.isolated\.dns_server\): unreadable answer: the answer holds "\$"/);

    const html = join(dir, 'hugo.html');
    const h = cli(['check', SPEC, '--lab', lab, '--answers', join(dir, 'hugo.yaml'), '--task', 'isolated', '--format', 'html', '-o', html, '--lang', 'en']);
    expect(h.status, h.stderr).to.equal(1);
    if (!chromiumAvailable()) this.skip();
    await withChromium(async (ctx) => {
      const page = await ctx.newPage();
      const dialogs: string[] = [];
      page.on('dialog', async (d) => {
        dialogs.push(d.message());
        await d.dismiss();
      });
      await page.goto(`file://${html}`, { waitUntil: 'load' });
      const written = await page.$$eval('[data-verdict^="isolated."] dd.written', (els) => els.map((e) => e.textContent));
      expect(written).to.include('␛]0;pwned␇␛[2J');
      expect(written).to.include('<script>alert(1)</script><img src=x onerror=alert(2)>');
      expect(written).to.include('$(reboot)');
      expect(await page.$$eval('script, img, iframe, object, embed, svg', (els) => els.length)).to.equal(0);
      expect(await page.title()).to.not.include('pwned');
      expect(dialogs).to.deep.equal([]);
    });
    expect(await readFile(html, 'utf8')).to.not.include(ESC);
  });

  it('batch: the student with an unreadable answer and the hostile one are graded, not failed', async function () {
    this.timeout(600_000);
    const ssh = `{ ssh: { user: root, key: ${LAB.sshKey}, known_hosts: ${LAB.knownHosts} } }`;
    await writeFile(
      join(dir, 'roster.yaml'),
      `version: 1
defaults:
  lab:
    uri: ${LAB.uri}
    netns: ${LAB.netns}
    networks: { nat: red-nat, isolated: red-aislada, very_isolated: red-muy-aislada }
    probes: { outside_host: ${LAB.outsideHost}, resolve_name: ${LAB.resolveName}, timeout_ms: 1000 }
    vms:
      linux: { domain: debian12-iso, access: [${ssh}, agent] }
      windows: { domain: win10-iso, os: linux, access: [${ssh}, agent] }
  answers: "{id}.yaml"
  task: isolated
students:
  - { id: lucia, name: Lucía Lectora, email: lucia@x.org }
  - { id: hugo, name: Hugo Hostil, email: hugo@x.org }
`,
    );
    const out = join(dir, 'out');
    const r = cli(['batch', SPEC, '--roster', join(dir, 'roster.yaml'), '--out', out, '--lang', 'en']);
    // Both are graded (wrong answers are grades, not failures of the run: exit 0).
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.include('2 graded, 0 incomplete, 0 failed');
    expect(r.stderr.includes(ESC)).to.equal(false);
    const lucia = JSON.parse(await readFile(join(out, 'students', 'lucia.json'), 'utf8')) as GradeResult;
    const qs = questions(lucia);
    expect(qs.filter((q) => q.codes.includes('unreadable-answer')).map((q) => q.id).sort()).to.deep.equal(['isolated.config.linux', 'isolated.config.windows']);
    expect(qs.filter((q) => !q.codes.includes('unreadable-answer') && q.outcome !== 'pass').map((q) => q.id)).to.deep.equal([]);
    const hugo = JSON.parse(await readFile(join(out, 'students', 'hugo.json'), 'utf8')) as GradeResult;
    expect(questions(hugo).filter((q) => q.codes.includes('unreadable-answer')).length).to.equal(6);
    expect(questions(hugo).find((q) => q.id === 'isolated.config.linux')!.outcome).to.equal('pass');
  });
});
