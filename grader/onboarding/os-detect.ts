// Which OS a libvirt domain runs, from the best evidence available:
//   1. the guest agent's `guest-get-osinfo` (the running system itself),
//   2. virt-manager's libosinfo metadata (`<libosinfo:os id="http://microsoft.com/win/10"/>`),
//   3. the domain's name (`win10`, `debian12`).
import type { OsFamily } from '../types.js';
import { tokens } from './similarity.js';

export type OsEvidence = 'agent' | 'osinfo' | 'name';

export interface DetectedOs {
  os: OsFamily;
  from: OsEvidence;
  /** What was seen: the osinfo id, the agent's pretty name, or the domain name. */
  detail: string;
}

const LINUX_OSINFO_VENDORS = [
  'debian.org', 'ubuntu.com', 'fedoraproject.org', 'redhat.com', 'centos.org', 'rockylinux.org',
  'almalinux.org', 'opensuse.org', 'suse.com', 'archlinux.org', 'alpinelinux.org', 'linuxmint.com',
  'kali.org', 'gentoo.org', 'mageia.org', 'manjaro.org', 'oraclelinux', 'slackware', 'voidlinux',
  'nixos.org', 'elementary.io', 'pop-os', 'endlessos.com', 'clearlinux.org', 'mandriva', 'novell.com',
  'linux', 'libosinfo.org/linux',
];

/** From a libosinfo id such as `http://microsoft.com/win/10` or `http://debian.org/debian/12`. */
export function osFromOsinfoId(id: string | undefined): OsFamily | null {
  if (!id) return null;
  const s = id.toLowerCase();
  if (s.includes('microsoft.com/win')) return 'windows';
  if (LINUX_OSINFO_VENDORS.some((v) => s.includes(v))) return 'linux';
  return null;
}

const WINDOWS_WORDS = new Set(['win', 'windows', 'w', 'winserver', 'winsrv', 'microsoft', 'windows10', 'windows11']);
const LINUX_WORDS = new Set([
  'linux', 'debian', 'deb', 'ubuntu', 'fedora', 'centos', 'rocky', 'alma', 'almalinux', 'rhel', 'redhat',
  'suse', 'opensuse', 'arch', 'alpine', 'mint', 'kali', 'gentoo', 'manjaro', 'bookworm', 'bullseye',
  'trixie', 'buster', 'jammy', 'focal', 'noble', 'lubuntu', 'xubuntu', 'kubuntu', 'mx', 'devuan',
]);

/** From a domain name: `win10`, `Windows-11`, `w10pro` -> windows; `debian12`, `ubuntu` -> linux. */
export function osFromName(name: string): OsFamily | null {
  const ts = tokens(name);
  // `w10`, `w11`: a lone `w` followed by a Windows version.
  const winVersion = ts.some((t, i) => t === 'w' && /^(7|8|10|11)$/.test(ts[i + 1] ?? ''));
  const isWin = winVersion || ts.some((t) => t !== 'w' && WINDOWS_WORDS.has(t));
  const isLinux = ts.some((t) => LINUX_WORDS.has(t));
  if (isWin && !isLinux) return 'windows';
  if (isLinux && !isWin) return 'linux';
  return null;
}

/** The guest agent's answer to `guest-get-osinfo` (QEMU's GuestOSInfo). */
export interface AgentOsInfo {
  id?: string;
  name?: string;
  'pretty-name'?: string;
  'kernel-name'?: string;
  'kernel-release'?: string;
  'kernel-version'?: string;
}

export function osFromAgentInfo(info: AgentOsInfo | null | undefined): DetectedOs | null {
  if (!info || typeof info !== 'object') return null;
  const words = [info.id, info.name, info['pretty-name'], info['kernel-name']].filter(
    (x): x is string => typeof x === 'string' && x.length > 0,
  );
  const detail = info['pretty-name'] ?? info.name ?? info.id ?? info['kernel-name'] ?? '';
  if (words.some((w) => /mswindows|windows/i.test(w))) return { os: 'windows', from: 'agent', detail };
  if (words.some((w) => /linux/i.test(w)) || (info.id && info.id !== 'mswindows')) {
    return { os: 'linux', from: 'agent', detail: detail || 'Linux' };
  }
  // qemu-ga only runs on Linux, Windows and the BSDs; a bare uname release is Linux in practice.
  if (typeof info['kernel-release'] === 'string' && /^\d+\.\d+\.\d+/.test(info['kernel-release'])) {
    return { os: 'linux', from: 'agent', detail: `Linux ${info['kernel-release']}` };
  }
  return null;
}

export function detectOs(domain: { name: string; osinfo?: string }, agentInfo?: AgentOsInfo | null): DetectedOs | null {
  const fromAgent = osFromAgentInfo(agentInfo);
  if (fromAgent) return fromAgent;
  const fromMeta = osFromOsinfoId(domain.osinfo);
  if (fromMeta) return { os: fromMeta, from: 'osinfo', detail: domain.osinfo! };
  const fromName = osFromName(domain.name);
  if (fromName) return { os: fromName, from: 'name', detail: domain.name };
  return null;
}
