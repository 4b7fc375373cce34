// What `labgrade inspect` reports besides the snapshot: how the lab file's names map onto the host,
// and the exit code. The renderers (text for people, JSON = the HostSnapshot) are reports/inspect.ts.
import type { HostSnapshot, LabFile, Lang, LeaseInfo, NetworkInfo } from '../types.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/inspect.js';
import en from '../i18n/en/inspect.js';
import { didYouMean, hasDhcp, hostAddressOn } from './lookup.js';

const t = translator(es, en);

export interface LabSummary {
  networks: { key: string; name: string; found: boolean; suggestions: string[] }[];
  vms: { role: string; domain: string; found: boolean; suggestions: string[]; networks: string[] }[];
}

/** How the lab file's names map onto what exists (exact names, as the grader uses them). */
export function summarizeLab(snapshot: HostSnapshot, lab: LabFile): LabSummary {
  const netNames = snapshot.networks.map((n) => n.name);
  const domNames = snapshot.domainNames ?? snapshot.domains.map((d) => d.name);
  return {
    networks: Object.entries(lab.networks).map(([key, name]) => {
      const found = netNames.includes(name);
      return { key, name, found, suggestions: found ? [] : didYouMean(name, netNames) };
    }),
    vms: Object.entries(lab.vms).map(([role, vm]) => {
      const dom = snapshot.domains.find((d) => d.name === vm.domain);
      const found = domNames.includes(vm.domain);
      return {
        role,
        domain: vm.domain,
        found,
        suggestions: found ? [] : didYouMean(vm.domain, domNames),
        networks: dom ? [...new Set(dom.interfaces.map((i) => i.network ?? `${i.type}:${i.source || '-'}`))] : [],
      };
    }),
  };
}

/** 0 when everything could be read and every name of the lab file exists, else 1. */
export function inspectExitCode(snapshot: HostSnapshot, lab: LabSummary | null): 0 | 1 {
  if (snapshot.problems.length > 0) return 1;
  if (lab && (lab.networks.some((n) => !n.found) || lab.vms.some((v) => !v.found))) return 1;
  return 0;
}

