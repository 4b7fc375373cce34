// Long-lived virsh shells (grader/libvirt/virsh-shell.ts) give exactly the one-shot answers: real
// virsh on libvirt's built-in test driver (test:///default: no daemon, no lab), the same calls
// through both paths, including failures and hostile names; and calls a shell cannot carry (an
// argument with a newline) or a shell that dies fall back to the one-shot run.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { Virsh, LibvirtError, runLocal, virshEnv } from '../../../grader/libvirt/virsh.js';
import { VirshShellPool, localShellOpener, virshQuote } from '../../../grader/libvirt/virsh-shell.js';
import type { VirshExec } from '../../../grader/libvirt/virsh.js';
import type { ShellChannel } from '../../../grader/libvirt/virsh-shell.js';

/** A stand-in virsh shell: answers `out:<command>` after 300 ms for `slow`, at once otherwise. */
function fakeShells(): { open: (prefix: string[]) => Promise<ShellChannel>; opened: () => number } {
  let opened = 0;
  const open = async (): Promise<ShellChannel> => {
    opened++;
    let onData: (d: string) => void = () => undefined;
    let chain = Promise.resolve();
    return {
      write(text) {
        const [cmd, echo] = text.split('\n');
        const mark = echo!.replace(/^echo /, '');
        chain = chain.then(
          () =>
            new Promise<void>((r) =>
              setTimeout(() => {
                onData(`virsh # ${cmd}\nout:${cmd}\nvirsh # echo ${mark}\n${mark}`); // virsh echoes without a newline
                r();
              }, cmd!.includes('slow') ? 300 : 1),
            ),
        );
      },
      onData: (cb) => void (onData = cb),
      onClose: () => undefined,
      close: () => undefined,
    };
  };
  return { open, opened: () => opened };
}

const URI = 'test:///default';
const haveVirsh = (() => {
  try {
    execFileSync('virsh', ['-c', URI, '-q', 'list', '--name'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function outcome(p: Promise<string>): Promise<string> {
  try {
    return `ok:${await p}`;
  } catch (e) {
    return `err:${(e as LibvirtError).kind}:${(e as LibvirtError).detail}`;
  }
}

describe('libvirt/virsh-shell: long-lived virsh shells', function () {
  this.timeout(60_000);
  before(function () {
    if (!haveVirsh) {
      // eslint-disable-next-line no-console
      console.log('      (skipped: no virsh with the test driver on this machine)');
      this.skip();
    }
  });

  it('quotes for virsh\'s own parser', () => {
    expect(virshQuote("it's; x")).to.equal(`'it'\\''s; x'`);
  });

  it('answers every call exactly like one virsh per call, through fewer processes', async () => {
    const env = virshEnv();
    let oneShots = 0;
    const oneShot: VirshExec = (argv, o) => {
      oneShots++;
      return runLocal('virsh', argv, env, o);
    };
    const pool = new VirshShellPool(localShellOpener('virsh', env), oneShot, 2);
    const viaShell = new Virsh({ uri: URI, exec: pool.exec, execUri: URI, local: true });
    const plain = new Virsh({ uri: URI });
    const calls: ((v: Virsh) => Promise<string>)[] = [
      (v) => v.run(['list', '--all', '--name']),
      (v) => v.domDumpXml('test'),
      (v) => v.domState('test'),
      (v) => v.netDumpXml('default'),
      (v) => v.run(['net-list', '--all', '--name']),
      (v) => v.domDumpXml("it's; net-destroy default; x"),
      (v) => v.domDumpXml('nosuch'),
      (v) => v.run(['net-info', '--network', 'default']),
      (v) => v.run(['qemu-agent-command', '--domain', 'test', '--timeout', '2', '--cmd', '{"execute":"guest-ping"}']),
    ];
    for (const call of calls) {
      const [a, b] = await Promise.all([outcome(call(viaShell)), outcome(call(plain))]);
      expect(a).to.equal(b);
    }
    // In parallel too (queued on the pool's shells).
    const par = await Promise.all(calls.map((c) => outcome(c(viaShell))));
    const seq: string[] = [];
    for (const c of calls) seq.push(await outcome(c(plain)));
    expect(par).to.deep.equal(seq);
    expect(oneShots).to.equal(0);
    // The hostile name stayed one argument: the network it names was not touched.
    expect(await plain.run(['net-list', '--name'])).to.match(/default/);
    // A newline cannot be written on a shell's line: that call runs the one-shot way.
    expect(await outcome(viaShell.domDumpXml('a\nlist'))).to.equal(await outcome(plain.domDumpXml('a\nlist')));
    expect(oneShots).to.equal(1);
    pool.closeAll();
  });

  it('local pools queue on a busy shell first: quick calls share one shell; a call stuck behind a slow one moves to a new shell', async () => {
    const noOneShot: VirshExec = async () => {
      throw new Error('no one-shot expected');
    };
    const quick = (pool: VirshShellPool, n: number) => pool.exec(['-q', '-c', URI, 'dominfo', `vm${n}`], { timeoutMs: 5000, maxOutputBytes: 1 << 20 });
    const a = fakeShells();
    const pool = new VirshShellPool(a.open, noOneShot, 3, 50);
    const outs = await Promise.all([1, 2, 3, 4, 5].map((n) => quick(pool, n)));
    expect(outs.map((r) => r.stdout.trim())).to.deep.equal([1, 2, 3, 4, 5].map((n) => `out:'dominfo' 'vm${n}'`));
    expect(a.opened()).to.equal(1);
    const order: string[] = [];
    const slow = pool.exec(['-q', '-c', URI, 'slow'], { timeoutMs: 5000, maxOutputBytes: 1 << 20 }).then((x) => (order.push('slow'), x));
    await new Promise((r) => setTimeout(r, 5));
    const q6 = quick(pool, 6).then((x) => (order.push('quick'), x));
    // Timers fire in deadline order: this check runs before the 50 ms spill, however loaded the machine.
    await new Promise((r) => setTimeout(r, 10));
    expect(a.opened()).to.equal(1); // still queued behind the slow call
    expect((await q6).stdout.trim()).to.equal(`out:'dominfo' 'vm6'`);
    expect(a.opened()).to.equal(2); // then moved to a shell of its own
    expect(order).to.deep.equal(['quick']); // answered before the slow call ended
    expect((await slow).stdout.trim()).to.equal(`out:'slow'`);
    // spillMs 0: a new shell at once whenever all are busy.
    const b = fakeShells();
    const eager = new VirshShellPool(b.open, noOneShot, 3, 0);
    const slow2 = eager.exec(['-q', '-c', URI, 'slow'], { timeoutMs: 5000, maxOutputBytes: 1 << 20 });
    await new Promise((r) => setTimeout(r, 5));
    const q7 = quick(eager, 7);
    await new Promise((r) => setImmediate(r));
    expect(b.opened()).to.equal(2); // at once, no queueing
    await q7;
    await slow2;
  });

  it('the polkit warning ("Authorization not available") before the prompt or in the output is neither output nor error', async () => {
    const noOneShot: VirshExec = async () => {
      throw new Error('no one-shot expected');
    };
    const warn = 'error: Authorization not available. Check if polkit service is running or see debug message for more information.';
    let first = true;
    const open = async (): Promise<ShellChannel> => {
      let onData: (d: string) => void = () => undefined;
      return {
        write(text) {
          const [cmd, echo] = text.split('\n');
          const mark = echo!.replace(/^echo /, '');
          const pre = first ? `${warn}\n` : '';
          first = false;
          setTimeout(() => onData(`${pre}virsh # ${cmd}\n${warn}\nout:${cmd}\nvirsh # echo ${mark}\n${mark}`), 1);
        },
        onData: (cb) => void (onData = cb),
        onClose: () => undefined,
        close: () => undefined,
      };
    };
    const pool = new VirshShellPool(open, noOneShot, 1, 50);
    for (const n of [1, 2]) {
      const r = await pool.exec(['-q', '-c', URI, 'dominfo', `vm${n}`], { timeoutMs: 5000, maxOutputBytes: 1 << 20 });
      expect(r.exitCode).to.equal(0);
      expect(r.stderr).to.equal('');
      expect(r.stdout.trim()).to.equal(`out:'dominfo' 'vm${n}'`);
    }
    pool.closeAll();
  });

  it('falls back to one call per process when the shell cannot start', async () => {
    const env = virshEnv();
    let oneShots = 0;
    const pool = new VirshShellPool(localShellOpener('/nonexistent/virsh', env), (argv, o) => {
      oneShots++;
      return runLocal('virsh', argv, env, o);
    });
    const v = new Virsh({ uri: URI, exec: pool.exec, execUri: URI, local: true });
    expect((await v.domState('test')).trim()).to.equal('running');
    expect(oneShots).to.equal(1);
    pool.closeAll();
  });
});
