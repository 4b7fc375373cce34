// `labgrade check` leaves no process behind on the real lab (issue 21): at the moment the CLI has
// exited, no process it started (found by a marker in the environment every descendant inherits)
// is still there — looked at at once, with no grace period, on the paths that start helpers: SSH
// through the lab's netns relay, and the guest agent of a guest whose agent does not answer (its
// virsh calls are in flight when the run gives up on them). Root, under the lab-tests lock:
//   flock /tmp/labgrade-labtests.lock npx mocha test/lab/check/no-process-left.test.ts
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureLab, guestSsh, labFileFor, useScenario } from '../../helpers/lab.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = `${root}bin/labgrade.js`;
const SPEC = `${root}exercises/clase2-redes.yaml`;
const CORRECT = `${root}exercises/demo/answers-correct.yaml`;

/** Processes whose environment holds LABGRADE_TEST_MARK=mark (zombies excluded: already gone). */
function marked(mark: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync('/proc')) {
    if (!/^\d+$/.test(n)) continue;
    try {
      if (!readFileSync(`/proc/${n}/environ`, 'latin1').split('\0').includes(`LABGRADE_TEST_MARK=${mark}`)) continue;
      if (/\) Z /.test(readFileSync(`/proc/${n}/stat`, 'latin1'))) continue;
      out.push(`${n}: ${readFileSync(`/proc/${n}/cmdline`, 'latin1').replace(/\0/g, ' ').slice(0, 200)}`);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** Runs check; returns its exit code, the most processes it had at once, and those left at its exit. */
function check(labFile: string): Promise<{ code: number | null; most: number; left: string[] }> {
  const mark = randomBytes(8).toString('hex');
  const child = spawn(process.execPath, [CLI, 'check', SPEC, '--lab', labFile, '--answers', CORRECT, '--task', 'nat', '--format', 'json', '-q'], {
    env: { ...process.env, LABGRADE_TEST_MARK: mark, LABGRADE_LANG: 'en' },
    stdio: 'ignore',
  });
  let most = 0;
  const watch = setInterval(() => (most = Math.max(most, marked(mark).length)), 50);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      // At once: a helper still dying after the CLI is gone counts as left behind.
      const left = marked(mark);
      clearInterval(watch);
      resolve({ code, most, left });
    }),
  );
}

describe('labgrade check leaves no process behind (real lab)', function () {
  this.timeout(180_000);
  before(async function () {
    await ensureLab(this, 'all');
    await useScenario('all');
  });

  it('SSH through the lab namespace: helpers ran, none is left when the CLI has exited', async () => {
    const r = await check(await labFileFor({ linux: 'debian12', windows: 'win10' }));
    expect(r.code).to.equal(0);
    expect(r.most, 'the run started helpers (virsh shell, relay client)').to.be.greaterThan(1);
    expect(r.left).to.deep.equal([]);
  });

  it('a guest agent that does not answer (virsh calls in flight when the run gives up): none is left', async () => {
    // SIGSTOP freezes qemu-ga (init would respawn a killed one): it stops answering.
    const stop = await guestSsh('debian12', 'kill -STOP $(pidof qemu-ga)');
    expect(stop.exitCode, stop.stderr).to.equal(0);
    try {
      const r = await check(await labFileFor({ linux: 'debian12', windows: 'win10' }, { access: ['agent'] }));
      expect(r.code).to.equal(1);
      expect(r.left).to.deep.equal([]);
    } finally {
      await guestSsh('debian12', 'kill -CONT $(pidof qemu-ga)');
    }
  });
});
