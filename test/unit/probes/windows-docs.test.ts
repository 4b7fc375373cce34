// docs/{es,en}/windows.md stay true: every cmdlet a Windows script runs is named in both, and no
// script runs a cmdlet whose verb changes something (the docs promise labgrade only reads).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { blankStringsAndComments } from '../../helpers/ps51-lint.js';
import { WINDOWS_SCRIPTS } from '../../helpers/windows-scripts.js';

/** Plumbing that reads or shapes data only; the docs describe what is measured, not these. */
const PLUMBING = new Set(['Select-Object', 'Where-Object', 'ForEach-Object', 'ConvertTo-Json', 'New-Object']);
const CHANGING_VERBS = /^(Set|New|Remove|Enable|Disable|Start|Stop|Restart|Add|Clear|Rename|Install|Uninstall|Register|Unregister|Reset|Update|Move|Copy|Write|Out|Export|Import|Invoke|Suspend|Resume|Mount|Dismount|Grant|Revoke|Block|Unblock|Rename|Initialize|Format|Protect|Unprotect)-/;

function cmdlets(script: string): string[] {
  const code = blankStringsAndComments(script);
  const built = [...script.matchAll(/\.AddCommand\(\s*'([^']+)'/g)].map((m) => m[1]!);
  const own = new Set([...code.matchAll(/\bfunction\s+([\w-]+)/gi)].map((m) => m[1]!));
  const called = [...code.matchAll(/\b[A-Z][a-z]+-[A-Z][A-Za-z]+\b/g)].map((m) => m[0]).filter((c) => !own.has(c));
  return [...new Set([...called, ...built])];
}

describe('docs/{es,en}/windows.md describe every Windows script', () => {
  const docs = { es: readFileSync('docs/es/windows.md', 'utf8'), en: readFileSync('docs/en/windows.md', 'utf8') };

  for (const s of WINDOWS_SCRIPTS) {
    it(`${s.name}: its cmdlets are named in both languages and none of them changes anything`, () => {
      const used = cmdlets(s.script);
      for (const c of used) expect(CHANGING_VERBS.test(c) && c !== 'New-Object', `${s.name} runs ${c}`).to.equal(false);
      for (const c of used.filter((x) => !PLUMBING.has(x))) {
        expect(docs.es, `es: ${c}`).to.include(`\`${c}`);
        expect(docs.en, `en: ${c}`).to.include(`\`${c}`);
      }
    });
  }

  it('the .NET calls that send packets are named too', () => {
    for (const doc of Object.values(docs)) for (const call of ['Ping.SendPingAsync', 'Dns.GetHostAddresses', 'Resolve-DnsName']) expect(doc).to.include(call);
  });
});
