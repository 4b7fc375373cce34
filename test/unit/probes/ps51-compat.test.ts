// Every PowerShell text labgrade sends to a Windows guest must run on Windows PowerShell 5.1 (what
// Windows 10 ships): no PowerShell 7 operators, parameters, cmdlets or variables. The check is a
// list-based linter (test/helpers/ps51-lint.ts); a guard makes sure no new script escapes the list.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lintPs51 } from '../../helpers/ps51-lint.js';
import { WINDOWS_SCRIPTS } from '../../helpers/windows-scripts.js';
import { PRELUDE, wrapScript } from '../../../grader/transports/winrm/powershell.js';

/** Modules (outside i18n) that hold PowerShell meant for a guest: each must feed WINDOWS_SCRIPTS. */
const SCRIPT_MODULES = ['grader/probes/windows.ts', 'grader/probes/identity.ts', 'grader/onboarding/doctor.ts', 'grader/transports/winrm/powershell.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('Windows PowerShell 5.1 compatibility of every script sent to Windows', () => {
  for (const s of WINDOWS_SCRIPTS) {
    it(`${s.name}: no PowerShell 6/7-only syntax, parameter, cmdlet or variable`, () => {
      expect(lintPs51(s.script)).to.deep.equal([]);
      // And as sent: prelude + script block + quoted arguments.
      expect(lintPs51(wrapScript(s.script, s.args))).to.deep.equal([]);
      // Arguments are quoted data: operators inside them are not code.
      expect(lintPs51(wrapScript(s.script, [...s.args, "x && y ?? z ? 1 : 2 it's"]))).to.deep.equal([]);
    });
  }

  it('the prelude is plain 5.1 PowerShell', () => {
    expect(lintPs51(PRELUDE)).to.deep.equal([]);
  });

  it('no module holds guest PowerShell outside the checked list', () => {
    const marker = /ConvertTo-Json|\$ErrorActionPreference|Get-Net[A-Z]|Resolve-DnsName/;
    const holders = sources('grader')
      .filter((f) => !f.startsWith(join('grader', 'i18n')))
      // Code only: comments may name cmdlets.
      .filter((f) => marker.test(readFileSync(f, 'utf8').replace(/^\s*(\/\/|\*|\/\*).*$/gm, '')))
      .map((f) => f.split('\\').join('/'));
    expect(holders.filter((f) => !SCRIPT_MODULES.includes(f)), 'add the new script to WINDOWS_SCRIPTS and SCRIPT_MODULES').to.deep.equal([]);
  });

  it('the linter flags each PowerShell 7 construct', () => {
    const bad: [string, RegExp][] = [
      ['$x = $ok ? 1 : 2', /ternary/],
      ['$x = $a ?? 2', /null-coalescing/],
      ['$a ??= 2', /null-coalescing/],
      ['$n = $obj?.Name', /null-conditional/],
      ['$n = ${obj}?[0]', /null-conditional/],
      ['Get-Item a && Get-Item b', /pipeline chain/],
      ['Get-Item a || Write-Error no', /pipeline chain/],
      ['Get-NetAdapter | ConvertTo-Json -AsArray', /ConvertTo-Json -AsArray/],
      ['$o | ConvertTo-Json -Depth 3 -EnumsAsStrings -Compress', /ConvertTo-Json -EnumsAsStrings/],
      ["'{}' | ConvertFrom-Json -AsHashtable", /ConvertFrom-Json -AsHashtable/],
      ['1..3 | ForEach-Object -Parallel { $_ } -ThrottleLimit 2', /ForEach-Object -Parallel/],
      ['Test-Connection -TargetName 192.168.101.1 -TimeoutSeconds 1', /Test-Connection -TargetName/],
      ['Get-Error', /cmdlet Get-Error/],
      ['$s | Join-String -Separator ","', /cmdlet Join-String/],
      ['if ($IsWindows) { 1 }', /\$IsWindows/],
      ['$o = [System.Text.Json.JsonSerializer]::Serialize($x)', /System\.Text\.Json/],
      ["$ps = [PowerShell]::Create(); [void]$ps.AddCommand('ConvertTo-Json').AddParameter('AsArray')", /ConvertTo-Json -AsArray/],
      ["[void]$ps.AddCommand('Test-Json')", /cmdlet Test-Json/],
    ];
    for (const [src, rule] of bad) {
      const f = lintPs51(src);
      expect(f.map((x) => x.rule).join('; '), src).to.match(rule);
      expect(f[0]!.line).to.equal(1);
    }
  });

  it('the linter leaves valid 5.1 lookalikes alone (strings, comments, Where-Object alias, 5.1 parameters)', () => {
    const good = [
      'Get-Process | ? { $_.Id -gt 4 }',
      'Get-Process |? { $_.Id -gt 4 }',
      "Write-Output 'a && b || c ?? d ?. e'",
      'Write-Output "a && b, `"x ?? y`""',
      '# $a ? b : c && d',
      '<# $a ?? 1\n  Get-Error #>\n$b = 1',
      "@'\n$a ?? 1 && 2\n'@",
      '@"\n$x ? 1 : 2\n"@',
      'Write-Output -NoEnumerate @(1)',
      '$o | ConvertTo-Json -Depth 3 -Compress',
      "ConvertTo-Json -InputObject @($out) -Depth 3 -Compress",
      "$x -match '^a?b$'",
      "$r = [ordered]@{ a = 1 }; [pscustomobject]$r",
      '$t = (New-Object System.Net.NetworkInformation.Ping).SendPingAsync($a, 1000)',
      "Get-Item x -ErrorAction SilentlyContinue",
      "$ok = $a -and $b -or -not $c",
    ];
    for (const src of good) expect(lintPs51(src), src).to.deep.equal([]);
  });
});
