import { expect } from 'chai';
import { checkTarget, assertTarget } from '../../../grader/probes/targets.js';
import { linuxProber } from '../../../grader/probes/linux/collector.js';
import { windowsProber } from '../../../grader/probes/windows.js';
import { InputError, type CommandResult, type Connection } from '../../../grader/types.js';

const hostile = [
  '1.1.1.1; reboot',
  '$(id)',
  '`id`',
  '-oProxyCommand=touch /tmp/x',
  '-c1',
  '--help',
  'host name',
  "it's",
  '"q"',
  'a|b',
  'a&b',
  'a>b',
  '1.1.1.1\nreboot',
  'a\0b',
  'ñandú.test',
  '',
  ' 1.1.1.1',
  '256.1.1.1',
  '010.0.0.1',
  '1.2.3',
  '1.2.3.4.5',
  'a..b',
  '-a.b',
  'a-.b',
  'x'.repeat(64) + '.test',
  'a.'.repeat(130) + 'b',
  '*.test',
  '192.168.1.1/24',
  'http://x',
  'host:22',
];

describe('probes/targets', () => {
  it('accepts IPv4 literals and hostnames', () => {
    for (const ok of ['198.51.100.10', '0.0.0.0', '255.255.255.255', '192.168.101.1']) {
      expect(checkTarget(ok)).to.deep.equal({ ok: true, kind: 'ipv4', value: ok });
    }
    for (const ok of ['www.labgrade.test', 'localhost', 'a-b.c-d.example', 'debian12', 'www.google.com.', 'x1.y2']) {
      expect(checkTarget(ok)).to.deep.equal({ ok: true, kind: 'hostname', value: ok });
    }
  });

  it('rejects injection attempts and malformed values', () => {
    for (const bad of hostile) {
      const r = checkTarget(bad);
      expect(r.ok, JSON.stringify(bad)).to.equal(false);
    }
    expect(checkTarget(undefined).ok).to.equal(false);
    expect(checkTarget(42).ok).to.equal(false);
  });

  it('assertTarget throws an InputError naming the value, where it came from and why', () => {
    try {
      assertTarget('1.1.1.1; reboot', 'answers.yaml:12:5', 'en');
      expect.fail('should throw');
    } catch (e) {
      expect(e).to.be.instanceOf(InputError);
      expect((e as Error).message).to.include('1.1.1.1; reboot').and.include('answers.yaml:12:5');
    }
    try {
      assertTarget('-oProxyCommand=x', 'lab.yaml', 'es');
      expect.fail('should throw');
    } catch (e) {
      expect((e as Error).message).to.include('guion');
    }
  });

  it('probers refuse hostile targets before anything runs in the guest', async () => {
    let ran = 0;
    const conn: Connection = {
      kind: 'local',
      target: 'spy',
      runScript: async (): Promise<CommandResult> => {
        ran++;
        return { exitCode: 0, stdout: '', stderr: '', durationMs: 0, truncated: false, timedOut: false };
      },
      close: async () => undefined,
    };
    for (const p of [linuxProber, windowsProber]) {
      for (const bad of ['1.1.1.1; reboot', '$(id)', '-oProxyCommand=x']) {
        await p.reach(conn, ['192.168.1.1', bad], 1000, []).then(
          () => expect.fail('reach accepted ' + bad),
          (e) => expect(e).to.be.instanceOf(InputError),
        );
        await p.resolve(conn, bad, 1000, []).then(
          () => expect.fail('resolve accepted ' + bad),
          (e) => expect(e).to.be.instanceOf(InputError),
        );
      }
    }
    expect(ran).to.equal(0);
  });
});
