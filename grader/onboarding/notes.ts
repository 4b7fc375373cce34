// Turns init's Notes into sentences in the user's language (for the terminal and YAML comments).
import type { Lang, OsFamily } from '../types.js';
import { translator, type Params } from '../i18n/translate.js';
import es from '../i18n/es/onboarding.js';
import en from '../i18n/en/onboarding.js';
import type { Note } from './propose.js';
import { networkTypeLabel } from '../libvirt/type-label.js';

export type OnboardingKey = keyof typeof es;
export const t = translator<OnboardingKey>(es, en);

export function typeWord(lang: Lang, type: string): string {
  return networkTypeLabel(lang, type);
}

export function osWord(lang: Lang, os: string): string {
  return os === 'linux' || os === 'windows' ? t(lang, `os.${os as OsFamily}`) : os;
}

function yesNo(lang: Lang, v: unknown): string {
  return t(lang, v ? 'yes' : 'no');
}

/** `host 192.168.101.1/24, DHCP a-b` / `no host address, no DHCP`. */
export function describeProps(lang: Lang, p: { address?: unknown; dhcp?: unknown; hasDhcp?: unknown }): string {
  const addr = p.address ? t(lang, 'desc.address', { address: String(p.address) }) : t(lang, 'desc.noAddress');
  const dhcp = p.hasDhcp || (typeof p.dhcp === 'string' && p.dhcp) ? t(lang, 'desc.dhcp', { range: String(p.dhcp ?? '') }).trim() : t(lang, 'desc.noDhcp');
  return `${addr}, ${dhcp}`;
}

/** Comments and terminal lines must stay one line each and printable. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

export function noteText(lang: Lang, n: Note): string {
  const p: Params = { ...n.params };
  switch (n.code) {
    case 'network-chosen':
      p.type = typeWord(lang, String(p.type));
      p.desc = describeProps(lang, n.params);
      break;
    case 'network-missing':
      p.type = typeWord(lang, String(p.type));
      p.dhcp = n.params.dhcp ? t(lang, 'desc.dhcp', { range: '' }).trim() : t(lang, 'desc.noDhcp');
      p.address = n.params.hostAddress ? t(lang, 'desc.address', { address: '' }).trim() : t(lang, 'desc.noAddress');
      break;
    case 'network-properties': {
      const diffs: string[] = [];
      if (p.type !== p.wantType) diffs.push(`${typeWord(lang, String(p.type))} ≠ ${typeWord(lang, String(p.wantType))}`);
      if (p.dhcp !== p.wantDhcp) diffs.push(`DHCP: ${yesNo(lang, p.dhcp)} ≠ ${yesNo(lang, p.wantDhcp)}`);
      if (p.hostAddress !== p.wantHostAddress) {
        diffs.push(`${t(lang, 'desc.address', { address: '' }).trim()}: ${yesNo(lang, p.hostAddress)} ≠ ${yesNo(lang, p.wantHostAddress)}`);
      }
      p.diff = diffs.join('; ');
      break;
    }
    case 'vm-chosen':
      if (!p.from) return oneLine(t(lang, 'note.vm-chosen-unknown', p));
      p.os = osWord(lang, String(p.os));
      p.from = t(lang, `from.${String(n.params.from) as 'agent' | 'osinfo' | 'name'}`);
      break;
    case 'vm-os-mismatch':
      p.osId = String(n.params.os);
      p.os = osWord(lang, String(p.os));
      p.wantOs = osWord(lang, String(p.wantOs));
      p.from = t(lang, `from.${String(n.params.from) as 'agent' | 'osinfo' | 'name'}`);
      break;
    case 'network-external':
      p.kind = t(lang, n.params.kind === 'direct' ? 'external.direct' : 'external.bridge');
      break;
    case 'vm-missing':
    case 'vm-os-unknown':
      p.os = osWord(lang, String(p.os));
      break;
    default:
      break;
  }
  return oneLine(t(lang, `note.${n.code}` as OnboardingKey, p));
}

