// Scans free text for the fields of an IPv4 configuration: labels in Spanish and English
// ("puerta de enlace", "gw", "máscara", "servidor DNS"...) and the values after them (addresses,
// /24, 255.255.255.0, ".1", "ninguna", "el host"). The same scan reads pasted command output
// (`ipconfig [/all]`, `ip a`, `ip r`, `nmcli dev show`, resolv.conf): their labels are in the table,
// and the labels of lines that carry no answer (broadcast, DHCP server, IPv6...) swallow their values.
import { isIpv4 } from '../parse-answer.js';
import { FILLER, tokenize, typoOf, type PastedKind, type Token } from './text.js';
import { NONE_WORDS } from './vocabulary.js';

export type Field = 'address' | 'mask' | 'gateway' | 'dns';
/** A field label, or a label whose values are not part of the answer. */
type Label = Field | 'other';
/** A symbolic address resolved later against what was measured. */
export type AddressRef = 'host' | 'gateway';

const LABELS: [string, Label][] = [
  // address
  ['direccion ipv4 de configuracion automatica', 'address'],
  ['autoconfiguration ipv4 address', 'address'],
  ['direccion ip', 'address'],
  ['direccion ipv4', 'address'],
  ['ip address', 'address'],
  ['ipv4 address', 'address'],
  ['ip4 address', 'address'],
  ['direccion', 'address'],
  ['direcion', 'address'],
  ['address', 'address'],
  ['addr', 'address'],
  ['ipv4', 'address'],
  ['ip4', 'address'],
  ['ip', 'address'],
  ['inet', 'address'],
  // netmask / prefix
  ['mascara de subred', 'mask'],
  ['mascara de red', 'mask'],
  ['subnet mask', 'mask'],
  ['network mask', 'mask'],
  ['longitud de prefijo', 'mask'],
  ['prefix length', 'mask'],
  ['mascara', 'mask'],
  ['netmask', 'mask'],
  ['mask', 'mask'],
  ['prefijo', 'mask'],
  ['prefix', 'mask'],
  // gateway
  ['puerta de enlace predeterminada', 'gateway'],
  ['puerta de enlace', 'gateway'],
  ['puerta enlace', 'gateway'],
  ['default gateway', 'gateway'],
  ['default via', 'gateway'],
  ['pasarela', 'gateway'],
  ['gateway', 'gateway'],
  ['gw', 'gateway'],
  ['router', 'gateway'],
  ['enlace', 'gateway'],
  // DNS
  ['servidores dns', 'dns'],
  ['servidor dns', 'dns'],
  ['servidor de nombres', 'dns'],
  ['dns servers', 'dns'],
  ['dns server', 'dns'],
  ['nameservers', 'dns'],
  ['nameserver', 'dns'],
  ['resolver', 'dns'],
  ['dns', 'dns'],
  // values that are not part of the answer
  ['servidor dhcp', 'other'],
  ['dhcp server', 'other'],
  ['dhcp habilitado', 'other'],
  ['dhcp enabled', 'other'],
  ['sufijo dns', 'other'],
  ['sufijos dns', 'other'],
  ['dns suffix', 'other'],
  ['direccion fisica', 'other'],
  ['physical address', 'other'],
  ['brd', 'other'],
  ['broadcast', 'other'],
  ['difusion', 'other'],
  ['ipv6', 'other'],
  ['inet6', 'other'],
  ['ip6', 'other'],
  ['hwaddr', 'other'],
  ['ether', 'other'],
  ['route', 'other'],
  ['ruta', 'other'],
  ['src', 'other'],
  ['dst', 'other'],
  ['nh', 'other'],
  ['netbios', 'other'],
  ['wins', 'other'],
  ['concesion', 'other'],
  ['lease', 'other'],
  ['mtu', 'other'],
  ['qlen', 'other'],
  ['metric', 'other'],
  ['valid_lft', 'other'],
  ['preferred_lft', 'other'],
  ['dhcp', 'other'],
];
const LABEL_WORDS = LABELS.map(([p]) => p.split(' '));
/** Single words whose typos are still labels ("getway", "mascar", "dirrecion"). */
const TYPO_LABELS = ['gateway', 'direccion', 'mascara', 'netmask', 'address', 'nameserver', 'prefijo'];

const HOST_WORDS = new Set(['host', 'anfitrion', 'hipervisor', 'hypervisor', 'libvirt', 'virbr0']);

export interface Scan {
  address: string[];
  /** Prefix lengths seen (from /24, a netmask, or a prefix field), with the text that gave each. */
  prefixes: { value: number; text: string }[];
  /** Netmask-like values that are not valid contiguous masks. */
  badMasks: string[];
  gateway: string[];
  dns: string[];
  /** Fields said to be "none" ("sin puerta de enlace", "DNS: ninguno"). */
  none: Set<Field | 'all'>;
  refs: { gateway?: AddressRef; dns: AddressRef[] };
  /** Addresses with no label in a text that has labels (their meaning is unknown). */
  stray: string[];
  /** Shorthands (".1") with no address to complete them. */
  badShort: string[];
  invalid: string[];
  labelled: boolean;
  ignored: string[];
  pasted?: PastedKind;
}

function pastedKind(text: string): PastedKind | undefined {
  if (/(?:\.\s){3,}/.test(text) && /:/.test(text)) return 'ipconfig';
  if (/\bIP4\.(?:ADDRESS|GATEWAY|DNS)/i.test(text) || /GENERAL\.DEVICE/i.test(text)) return 'nmcli';
  if (/\binet \d/.test(text) || /^\s*default via /m.test(text) || /<[A-Z_,]+>/.test(text)) return 'ip';
  if (/^\s*nameserver\s/m.test(text)) return 'resolv';
  return undefined;
}

/** `nmcli dev show`: the IPv4 lines of every device but the loopback (its "--" would read as none). */
function nmcliIpv4(text: string): string {
  const blocks = text.split(/(?=^\s*GENERAL\.DEVICE:)/m);
  return blocks
    .filter((b) => !/^\s*GENERAL\.DEVICE:\s*lo\s*$/m.test(b) && !/^\s*IP4\.ADDRESS\[\d+\]:\s*127\./m.test(b))
    .flatMap((b) => b.split('\n').filter((l) => /^\s*IP4\.(?:ADDRESS|GATEWAY|DNS)/.test(l)))
    .join('\n');
}

/** The label starting at word index i (longest phrase first), and how many words it takes. */
function labelAt(words: string[], i: number): { label: Label; len: number } | undefined {
  let best: { label: Label; len: number } | undefined;
  LABEL_WORDS.forEach((pw, k) => {
    if (pw.length <= (best?.len ?? 0)) return;
    if (pw.every((w, j) => words[i + j] === w)) best = { label: LABELS[k]![1], len: pw.length };
  });
  if (best) return best;
  const typo = typoOf(words[i]!, TYPO_LABELS);
  if (typo) return { label: LABELS.find(([p]) => p === typo)![1], len: 1 };
  return undefined;
}

/** The field a value goes to by its label (or the question's own field). */
function f0(label: Label | undefined, start: Field | undefined): Label | undefined {
  return label ?? start;
}

/** Prefix of a dotted netmask, or undefined when it is not a contiguous mask. */
export function maskPrefix(s: string): number | undefined {
  if (!isIpv4(s)) return undefined;
  const bits = s
    .split('.')
    .map((o) => Number(o).toString(2).padStart(8, '0'))
    .join('');
  if (!/^1+0*$/.test(bits)) return undefined;
  return bits.indexOf('0') === -1 ? 32 : bits.indexOf('0');
}

/** 255.x.x.x after an address is its netmask (contiguous or not: then it is an error), never an address. */
function looksLikeMask(s: string): boolean {
  return s.startsWith('255.');
}

/**
 * Scans `text`. `start` is the field an unlabelled value belongs to first (the question's own
 * field: 'dns' for "which DNS server"); without it, unlabelled values are read by position when
 * the text has no labels at all (address, then gateway, then DNS).
 */
export function scanFields(text: string, start?: Field): Scan {
  const kind = pastedKind(text);
  const toks = tokenize((kind === 'nmcli' ? nmcliIpv4(text) : text).replace(/<[A-Z0-9_,-]*>/g, ' '));
  const s: Scan = { address: [], prefixes: [], badMasks: [], gateway: [], dns: [], none: new Set(), refs: { dns: [] }, stray: [], badShort: [], invalid: [], labelled: false, ignored: [] };
  if (kind) s.pasted = kind;
  // Per token: its folded word ("" for punctuation), so multi-word labels match consecutive words only.
  const words = toks.map((t) => (t.type === 'word' || t.type === 'ipv4' ? t.norm : t.type === 'number' ? t.text : ''));
  let label: Label | undefined = start;
  let negate = false;
  /** Has the current label received a value yet? */
  let filled = false;
  const hasValue = (f: Field): boolean =>
    f === 'address' ? s.address.length > 0 : f === 'mask' ? s.prefixes.length > 0 : f === 'gateway' ? s.gateway.length > 0 || !!s.refs.gateway : s.dns.length > 0 || s.refs.dns.length > 0;
  const nextValueToken = (from: number): Token | undefined => {
    for (let j = from; j < toks.length; j++) {
      const t = toks[j]!;
      if (t.type === 'other' || (t.type === 'word' && FILLER.has(t.norm))) continue;
      return t;
    }
    return undefined;
  };
  const assign = (f: Field, value: string): void => {
    if (f === 'address') {
      if (s.address.length > 0 && !s.address.includes(value) && looksLikeMask(value)) return assign('mask', value);
      if (!s.address.includes(value)) s.address.push(value);
    } else if (f === 'mask') {
      const p = maskPrefix(value);
      if (p === undefined || p === 0) s.badMasks.push(value);
      else s.prefixes.push({ value: p, text: value });
    } else if (f === 'gateway') {
      if (!s.gateway.includes(value)) s.gateway.push(value);
    } else if (!s.dns.includes(value)) s.dns.push(value);
    filled = true;
  };
  /** Gateway / DNS read by position alone ("a/24, b, c"): not trusted among words not understood. */
  const byPosition: { field: 'gateway' | 'dns'; value: string; text: string }[] = [];
  const positional = (): Field => (s.address.length === 0 ? 'address' : s.gateway.length === 0 && !s.none.has('gateway') ? 'gateway' : 'dns');

  for (let i = 0; i < toks.length; i++) {
    const tok = toks[i]!;
    if (tok.type === 'newline') {
      // A new line ends a label, unless it holds only more values (ipconfig's extra DNS servers).
      const rest: Token[] = [];
      for (let j = i + 1; j < toks.length && toks[j]!.type !== 'newline'; j++) rest.push(toks[j]!);
      const onlyValues = rest.length > 0 && rest.every((t) => t.type === 'ipv4' || t.type === 'ipv6' || t.type === 'other');
      if (!onlyValues && (s.pasted || s.labelled)) label = start && !s.labelled ? start : undefined;
      negate = false;
      continue;
    }
    if (tok.type === 'word') {
      const l = labelAt(words, i);
      if (l) {
        // "dns: la puerta de enlace" — a gateway label right after an empty DNS label, with no
        // value of its own, is a reference to the gateway.
        const after = nextValueToken(i + l.len);
        const isValueNext = after && (after.type === 'ipv4' || after.type === 'short' || after.type === 'prefix' || (after.type === 'number' && l.label === 'mask') || (after.type === 'word' && NONE_WORDS.has(after.norm)));
        if (l.label === 'gateway' && label === 'dns' && !isValueNext && !negate && !hasValue('dns')) {
          s.refs.dns.push('gateway');
          filled = true;
          i += l.len - 1;
          continue;
        }
        if (negate && l.label !== 'other') {
          s.none.add(l.label);
          negate = false;
          label = undefined;
          s.labelled = true;
          i += l.len - 1;
          continue;
        }
        label = l.label;
        filled = false;
        if (l.label !== 'other' || !s.pasted) s.labelled = true;
        i += l.len - 1;
        continue;
      }
      if ((tok.norm === 'sin' || tok.norm === 'no' || tok.norm === 'without' || tok.norm === 'ni' || tok.norm === 'nor') && !s.pasted) {
        negate = true;
        continue;
      }
      if (NONE_WORDS.has(tok.norm) || (tok.norm === 'tiene' && negate) || (tok.norm === 'hay' && negate)) {
        if (label && label !== 'other') s.none.add(label);
        else if (!label && !start) s.none.add('all');
        else if (start) s.none.add(start);
        negate = false;
        filled = true;
        continue;
      }
      if (HOST_WORDS.has(tok.norm) && label !== 'other' && !s.pasted) {
        const f = label ?? start;
        if (f === 'dns' && !hasValue('dns')) s.refs.dns.push('host');
        else if (f === 'gateway' && !hasValue('gateway')) s.refs.gateway = 'host';
        else if (!label && !start) s.ignored.push(tok.text);
        filled = true;
        continue;
      }
      negate = false;
      if (label !== 'other' && !FILLER.has(tok.norm) && !s.pasted) s.ignored.push(tok.text);
      continue;
    }
    if (tok.type === 'ipv4') {
      negate = false;
      const m = /^([\d.]+)(?:\/(\d+))?$/.exec(tok.norm)!;
      const addr = m[1]!;
      if (!isIpv4(addr)) {
        if (label !== 'other') s.invalid.push(tok.text);
        continue;
      }
      if (label === 'other') continue;
      // The loopback of pasted output (`ip a`'s lo) and "any" are never the answer; a DNS server
      // may well be 127.0.0.53 (systemd-resolved), so it stays.
      if ((/^127\./.test(addr) && f0(label, start) !== 'dns') || (addr === '0.0.0.0' && label !== 'mask')) continue;
      let f: Field | undefined = label;
      if (!f) {
        if (s.address.length > 0 && looksLikeMask(addr) && s.prefixes.length === 0) f = 'mask';
        else if (s.labelled) {
          s.stray.push(tok.text);
          continue;
        } else if (m[2] !== undefined && s.address.length > 0) f = 'address'; // "a/24 y b/24": two addresses
        else {
          f = positional();
          if (f === 'gateway' || f === 'dns') byPosition.push({ field: f, value: addr, text: tok.text });
        }
      }
      if (m[2] !== undefined && f === 'address') {
        const p = Number(m[2]);
        if (p >= 1 && p <= 32) s.prefixes.push({ value: p, text: `/${m[2]}` });
        else s.badMasks.push(`/${m[2]}`);
      }
      assign(f, addr);
      continue;
    }
    if (tok.type === 'prefix') {
      if (label === 'other') continue;
      const p = Number(tok.norm.slice(1));
      if (p >= 1 && p <= 32) s.prefixes.push({ value: p, text: tok.norm });
      else s.badMasks.push(tok.norm);
      continue;
    }
    if (tok.type === 'number' && label === 'mask' && /^\d{1,2}$/.test(tok.norm)) {
      const p = Number(tok.norm);
      if (p >= 1 && p <= 32) s.prefixes.push({ value: p, text: `/${tok.norm}` });
      else s.badMasks.push(tok.norm);
      continue;
    }
    if (tok.type === 'short') {
      if (label === 'other') continue;
      // ".1" after "gw": the address's network with its last octets replaced.
      const base = s.address[0];
      const parts = tok.norm.slice(1).split('.');
      if (!base) {
        s.badShort.push(tok.text);
        continue;
      }
      const full = [...base.split('.').slice(0, 4 - parts.length), ...parts].join('.');
      if (!isIpv4(full)) {
        s.invalid.push(tok.text);
        continue;
      }
      assign(label && label !== 'address' && label !== 'mask' ? label : positional(), full);
      continue;
    }
    if (tok.type === 'other' && tok.text === '-' && label && label !== 'other' && !filled) {
      // nmcli prints "--" for an empty field; students write "-" for none.
      const next = toks[i + 1];
      if (!next || next.type === 'newline' || next.text === '-' || next.text === ',' || next.text === ';') {
        s.none.add(label);
        filled = true;
        if (next?.text === '-') i++;
      }
      continue;
    }
    if (tok.type === 'number' && label !== 'other' && !s.pasted) {
      s.ignored.push(tok.text);
    }
  }
  if (negate) {
    const f = label && label !== 'other' ? label : start;
    if (f && !hasValue(f)) s.none.add(f);
  }
  if (byPosition.length > 0 && s.ignored.length > 0) {
    // "192.168.101.218/24 (antes 192.168.122.50)": words around unlabelled addresses may say
    // anything about them; they are reported as not understood rather than read as a gateway.
    for (const p of byPosition) {
      const list = p.field === 'gateway' ? s.gateway : s.dns;
      const i = list.indexOf(p.value);
      if (i >= 0) list.splice(i, 1);
      s.stray.push(p.text);
    }
  }
  return s;
}
