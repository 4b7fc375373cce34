// Parses `virsh net-dumpxml` and `virsh dumpxml` output (libvirt's XML, never localized) into
// plain data. fast-xml-parser gives a single object or an array depending on how many elements
// there are: every repeated element goes through `list()`; empty elements (`<forward/>`) come out
// as '' and go through `attrs()`.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { NetworkIp } from '../types.js';
import { normalizeMac } from './mac.js';
import { classifyNetwork } from './classify.js';
import type { NetworkType } from '../types.js';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

/** Thrown for output that is not the XML expected (the message names what was missing). */
export class XmlShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XmlShapeError';
  }
}

function list(x: unknown): unknown[] {
  if (x === undefined || x === null) return [];
  return Array.isArray(x) ? x : [x];
}

function node(x: unknown): Node {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Node) : {};
}

function attr(x: unknown, name: string): string | undefined {
  const v = node(x)[`@${name}`];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function text(x: unknown): string | undefined {
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return String(x);
  const t = node(x)['#text'];
  return typeof t === 'string' ? t : typeof t === 'number' ? String(t) : undefined;
}

function parseRoot(xml: string, root: string): Node {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new XmlShapeError(`not well-formed XML (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}`);
  }
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (e) {
    throw new XmlShapeError(`not well-formed XML: ${(e as Error).message}`);
  }
  if (!(root in doc)) throw new XmlShapeError(`no <${root}> element`);
  return node(doc[root]);
}

// ------------------------------------------------------------------ networks

/** What a network's XML says (activity flags come from `net-list`). */
export interface ParsedNetwork {
  name: string;
  uuid?: string;
  forwardMode: string | null;
  /** Host devices the network forwards to (macvtap pools, `<forward dev>`). */
  forwardDevs: string[];
  type: NetworkType;
  bridge: string | null;
  ips: NetworkIp[];
  dns: { enabled: boolean; forwarders: string[]; domain?: string };
}

/** Dotted netmask -> prefix length; null when not a contiguous mask. */
export function netmaskToPrefix(mask: string): number | null {
  const parts = mask.split('.');
  if (parts.length !== 4) return null;
  let bits = 0;
  let seenZero = false;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    for (let i = 7; i >= 0; i--) {
      const one = (n >> i) & 1;
      if (one && seenZero) return null;
      if (one) bits++;
      else seenZero = true;
    }
  }
  return bits;
}

/** libvirt's default prefix for an IPv4 <ip> without netmask/prefix: the classful one. */
function classfulPrefix(address: string): number {
  const first = Number(address.split('.')[0]);
  if (first < 128) return 8;
  if (first < 192) return 16;
  return 24;
}

export function parseNetworkXml(xml: string): ParsedNetwork {
  const net = parseRoot(xml, 'network');
  const name = text(net.name);
  if (!name) throw new XmlShapeError('<network> has no <name>');
  const uuid = text(net.uuid);

  const forwardEl = 'forward' in net ? list(net.forward)[0] : undefined;
  const forwardMode = forwardEl === undefined ? null : (attr(forwardEl, 'mode') ?? 'nat');
  const forwardDevs: string[] = [];
  if (forwardEl !== undefined) {
    const dev = attr(forwardEl, 'dev');
    if (dev) forwardDevs.push(dev);
    for (const i of list(node(forwardEl).interface)) {
      const d = attr(i, 'dev');
      if (d && !forwardDevs.includes(d)) forwardDevs.push(d);
    }
    for (const p of list(node(forwardEl).pf)) {
      const d = attr(p, 'dev');
      if (d && !forwardDevs.includes(d)) forwardDevs.push(d);
    }
  }
  const bridge = attr(list(net.bridge)[0], 'name') ?? null;

  const ips: NetworkIp[] = [];
  for (const ipEl of list(net.ip)) {
    const address = attr(ipEl, 'address');
    if (!address) continue;
    const family = (attr(ipEl, 'family') ?? (address.includes(':') ? 'ipv6' : 'ipv4')) === 'ipv6' ? 'ipv6' : 'ipv4';
    let prefix: number | null = null;
    const p = attr(ipEl, 'prefix');
    const m = attr(ipEl, 'netmask');
    if (p !== undefined && /^\d+$/.test(p)) prefix = Number(p);
    else if (m !== undefined) prefix = netmaskToPrefix(m);
    if (prefix === null) prefix = family === 'ipv6' ? 64 : classfulPrefix(address);
    const dhcp = list(node(ipEl).dhcp)[0];
    const dhcpRanges: NetworkIp['dhcpRanges'] = [];
    const dhcpHosts: NetworkIp['dhcpHosts'] = [];
    for (const r of list(node(dhcp).range)) {
      const start = attr(r, 'start');
      const end = attr(r, 'end');
      if (start && end) dhcpRanges.push({ start, end });
    }
    for (const h of list(node(dhcp).host)) {
      const ip = attr(h, 'ip');
      if (!ip) continue;
      const host: NetworkIp['dhcpHosts'][number] = { ip };
      const mac = normalizeMac(attr(h, 'mac'));
      if (mac) host.mac = mac;
      const hn = attr(h, 'name');
      if (hn) host.name = hn;
      dhcpHosts.push(host);
    }
    ips.push({ family, address, prefix, dhcpRanges, dhcpHosts });
  }

  const dnsEl = list(net.dns)[0];
  const forwarders: string[] = [];
  for (const f of list(node(dnsEl).forwarder)) {
    const a = attr(f, 'addr');
    if (a) forwarders.push(a);
  }
  // libvirt runs dnsmasq (DNS on the host's address) only for networks with an <ip>, and only
  // when DNS is not disabled with <dns enable='no'/>.
  const dnsEnabled = ips.length > 0 && attr(dnsEl, 'enable') !== 'no' && (forwardMode === null || ['nat', 'route', 'open', 'none'].includes(forwardMode));
  const dns: ParsedNetwork['dns'] = { enabled: dnsEnabled, forwarders };
  const domain = attr(list(net.domain)[0], 'name');
  if (domain) dns.domain = domain;

  const type = classifyNetwork({ forwardMode, ipCount: ips.length, bridge, forwardDevs: forwardDevs.length > 0 });
  const out: ParsedNetwork = { name, forwardMode, forwardDevs, type, bridge, ips, dns };
  if (uuid) out.uuid = uuid;
  return out;
}

// ------------------------------------------------------------------ domains

export interface ParsedInterface {
  type: string;
  source: string;
  /** For type='direct' (macvtap): the macvtap mode (bridge, vepa, private, passthrough). */
  sourceMode?: string;
  /** For type='network' on a running domain: the bridge libvirt plugged the NIC into. */
  liveBridge?: string;
  model?: string;
  mac: string;
  target?: string;
  linkState?: 'up' | 'down';
}

export interface ParsedDomain {
  name: string;
  uuid?: string;
  /** The `id` attribute: present only while the domain runs. */
  id?: number;
  osinfo?: string;
  interfaces: ParsedInterface[];
  agentChannel: boolean;
  /** The agent channel's live state attribute (libvirt reports it for running domains). */
  agentChannelState?: 'connected' | 'disconnected';
}

export function parseDomainXml(xml: string): ParsedDomain {
  const dom = parseRoot(xml, 'domain');
  const name = text(dom.name);
  if (!name) throw new XmlShapeError('<domain> has no <name>');
  const out: ParsedDomain = { name, interfaces: [], agentChannel: false };
  const uuid = text(dom.uuid);
  if (uuid) out.uuid = uuid;
  const id = attr(dom, 'id');
  if (id !== undefined && /^-?\d+$/.test(id) && Number(id) >= 0) out.id = Number(id);

  // virt-manager stores the OS as <metadata><libosinfo:libosinfo><libosinfo:os id='...'/>.
  const osEl = list(node(list(node(list(dom.metadata)[0]).libosinfo)[0]).os)[0];
  const osinfo = attr(osEl, 'id');
  if (osinfo) out.osinfo = osinfo;

  const devices = node(list(dom.devices)[0]);
  for (const i of list(devices.interface)) {
    const type = attr(i, 'type') ?? 'unknown';
    const mac = normalizeMac(attr(list(node(i).mac)[0], 'address'));
    if (!mac) continue; // libvirt always writes a MAC; anything else is not a NIC we can track
    const src = list(node(i).source)[0];
    let source = '';
    if (type === 'network') source = attr(src, 'network') ?? '';
    else if (type === 'bridge') source = attr(src, 'bridge') ?? '';
    else if (type === 'direct') source = attr(src, 'dev') ?? '';
    else source = attr(src, 'network') ?? attr(src, 'bridge') ?? attr(src, 'dev') ?? '';
    const iface: ParsedInterface = { type, source, mac };
    if (type === 'direct') {
      const mode = attr(src, 'mode');
      if (mode) iface.sourceMode = mode;
    }
    if (type === 'network') {
      const b = attr(src, 'bridge');
      if (b) iface.liveBridge = b;
    }
    const model = attr(list(node(i).model)[0], 'type');
    if (model) iface.model = model;
    const target = attr(list(node(i).target)[0], 'dev');
    if (target) iface.target = target;
    const link = attr(list(node(i).link)[0], 'state');
    if (link === 'up' || link === 'down') iface.linkState = link;
    out.interfaces.push(iface);
  }

  for (const c of list(devices.channel)) {
    const t = list(node(c).target)[0];
    if (attr(t, 'type') === 'virtio' && attr(t, 'name') === 'org.qemu.guest_agent.0') {
      out.agentChannel = true;
      const st = attr(t, 'state');
      if (st === 'connected' || st === 'disconnected') out.agentChannelState = st;
    }
  }
  return out;
}
