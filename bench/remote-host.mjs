#!/usr/bin/env node
// Remote-host benchmark: the same inspection and the same `check --task nat` against the bundled
// lab's libvirtd reached locally (qemu:///system) and as a remote host (qemu+ssh://, an sshd in the
// lab namespace: grader/lab/remote-host.ts), alternately in one run. The remote path is labgrade's:
// one ssh2 connection per host carrying every virsh call and the jumps to the guests. For contrast,
// the per-call path (virsh's own ssh, one handshake per virsh call, what labgrade did before) is
// timed for the inspection. Prints medians and remote/local ratios; the target (issue 16: within
// 1.5x of local) is printed, never asserted.
// Needs root, a build, the lab (scenario `all`, under /tmp/labgrade-labtests.lock). BENCH_RUNS=N (default 5).
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, median } from './_measure.mjs';
import { runUnderLabLock } from './_lab-lock.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

if (!process.env.LABGRADE_BENCH_LOCKED) process.exit(runUnderLabLock('remote-host', import.meta.url) ?? 0);

const lab = await import(join(root, 'dist', 'grader', 'lab', 'index.js'));
const { startRemoteHost } = await import(join(root, 'dist', 'grader', 'lab', 'remote-host.js'));
const { LAB_NETNS } = await import(join(root, 'dist', 'grader', 'lab', 'constants.js'));
process.stdout.write('bringing the lab to scenario "all"…\n');
await lab.labUp({ scenario: 'all', labFile: false, skipPackages: true });
const work = mkdtempSync(join(tmpdir(), 'labgrade-bench-remote-'));
const host = await startRemoteHost();
const problems = [];
try {
  const roles = { linux: 'debian12', windows: 'win10' };
  const localLab = await lab.writeLabFile(join(work, 'local.yaml'), roles);
  const remoteLab = await host.writeLabFile(join(work, 'remote.yaml'), roles);

  // The per-call path: virsh's own `ssh` (a wrapper naming a config whose ProxyCommand enters the
  // namespace and starts `sshd -i` there), one SSH handshake per virsh call.
  writeFileSync(join(work, 'known_hosts'), readFileSync(join(host.dir, 'known_hosts'), 'utf8').replace(/^\[127\.0\.0\.1\]:\d+/, 'labhost'));
  writeFileSync(
    join(work, 'ssh_config'),
    ['Host labhost', '  User root', `  IdentityFile ${host.hostSsh.key}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${join(work, 'known_hosts')}`,
      '  GlobalKnownHostsFile /dev/null', '  StrictHostKeyChecking yes', `  ProxyCommand ip netns exec ${LAB_NETNS} /usr/sbin/sshd -i -f ${join(host.dir, 'sshd_config')}`, ''].join('\n'),
  );
  writeFileSync(join(work, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(work, 'ssh_config')} "$@"\n`);
  chmodSync(join(work, 'ssh'), 0o755);
  const perCallUri = `qemu+ssh://root@labhost/system?command=${join(work, 'ssh')}&no_tty=1`;

  const cli = join(root, 'bin', 'labgrade.js');
  const spec = join(root, 'exercises', 'clase2-redes.yaml');
  const answers = join(root, 'exercises', 'demo', 'answers-correct.yaml');
  const inspect = (args) => [process.execPath, cli, 'inspect', ...args, '--format', 'json'];
  const check = (labFile, out) => [process.execPath, cli, 'check', spec, '--lab', labFile, '--answers', answers, '--task', 'nat', '--format', 'json', '-o', out, '-q'];

  const cases = {
    'inspect local': () => inspect(['--lab', localLab]),
    'inspect remote (1 ssh2 connection)': () => inspect(['--lab', remoteLab]),
    'inspect remote (virsh own ssh, per call)': () => inspect(['--uri', perCallUri]),
    'check nat local': (i) => check(localLab, join(work, `l${i}.json`)),
    'check nat remote': (i) => check(remoteLab, join(work, `r${i}.json`)),
  };
  const res = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const stages = { 'check nat local': [], 'check nat remote': [] };
  for (let i = 0; i < RUNS + 1; i++) {
    for (const [name, argv] of Object.entries(cases)) {
      const r = measure(argv(i));
      if (r.status !== 0) problems.push(`${name} run ${i}: exit ${r.status}: ${r.stderr.slice(0, 300)}`);
      if (name.startsWith('check')) {
        try {
          const j = JSON.parse(readFileSync(join(work, `${name.endsWith('local') ? 'l' : 'r'}${i}.json`), 'utf8'));
          if (j.totals.percent !== 100) problems.push(`${name} run ${i}: ${j.totals.percent} %: ${JSON.stringify(j.errors)}`);
          if (i > 0) stages[name].push(j.timings);
        } catch (e) {
          problems.push(`${name} run ${i}: no result (${e.message})`);
        }
      }
      if (i > 0) res[name].push(r);
    }
  }

  const f = (x, w = 7) => (Number.isFinite(x) ? x.toFixed(0) : '-').padStart(w);
  const m = (k, key) => median(res[k].map((x) => x[key]));
  process.stdout.write(`\nlocal vs remote (qemu+ssh) libvirt host, ${RUNS} alternating runs each (medians)\n`);
  process.stdout.write('case                                        wall ms   CPU ms   x local\n');
  const base = { inspect: m('inspect local', 'wallMs'), check: m('check nat local', 'wallMs') };
  for (const k of Object.keys(cases)) {
    const b = k.startsWith('inspect') ? base.inspect : base.check;
    process.stdout.write(`${k.padEnd(42)} ${f(m(k, 'wallMs'), 8)} ${f(m(k, 'cpuMs'), 8)}   ${(m(k, 'wallMs') / b).toFixed(2)}x\n`);
  }
  for (const [k, list] of Object.entries(stages)) {
    const s = (key) => f(median(list.map((x) => x[key])), 0);
    process.stdout.write(`${k} stages (ms): inspect ${s('inspectMs')}, connect ${s('connectMs')}, probe ${s('probeMs')}, grade ${s('gradeMs')}\n`);
  }
  const ri = m('inspect remote (1 ssh2 connection)', 'wallMs') / base.inspect;
  const rc = m('check nat remote', 'wallMs') / base.check;
  process.stdout.write(`targets (issue 16): remote inspection within 1.5x of local [${ri <= 1.5 ? 'met' : 'not met'}: ${ri.toFixed(2)}x], remote check within 1.5x [${rc <= 1.5 ? 'met' : 'not met'}: ${rc.toFixed(2)}x]\n`);
} finally {
  await host.stop();
  rmSync(work, { recursive: true, force: true });
}
if (problems.length) process.stdout.write(`\nproblems:\n  ${problems.join('\n  ')}\n`);
