// WS-Management SOAP messages for the Windows Remote Shell ([MS-WSMV] 3.1.4: Create, Command,
// Receive, Signal, Delete on resource .../windows/shell/cmd): envelopes built as text with every
// value escaped, responses parsed with fast-xml-parser (namespace prefixes dropped, DOCTYPE refused),
// SOAP faults turned into WsmanFault with the WSManFault code and message.
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

export const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  a: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  w: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  p: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  rsp: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  x: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  f: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
};

export const SHELL_URI = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd';
export const ACTION = {
  create: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
  delete: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete',
  command: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Command',
  receive: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Receive',
  signal: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/Signal',
};
export const SIGNAL_TERMINATE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/signal/terminate';
export const STATE_DONE = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done';
/** WSManFault code of an OperationTimeout expiring on Receive (expected while a command runs). */
export const FAULT_OPERATION_TIMEOUT = '2150858793';

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export interface EnvelopeInput {
  action: string;
  /** The endpoint URL (a:To). */
  to: string;
  shellId?: string;
  options?: Record<string, string>;
  /** Inner XML of the body (already escaped). */
  body: string;
  operationTimeoutSec: number;
  /** Largest response the client accepts, bytes (153 600 like pywinrm; Windows' default limit is 500 KiB). */
  maxEnvelopeSize?: number;
  messageId?: string;
}

export function envelope(e: EnvelopeInput): { xml: string; messageId: string } {
  const messageId = e.messageId ?? `uuid:${randomUUID().toUpperCase()}`;
  const opts = e.options
    ? `<w:OptionSet>${Object.entries(e.options)
        .map(([k, v]) => `<w:Option Name="${xmlEscape(k)}">${xmlEscape(v)}</w:Option>`)
        .join('')}</w:OptionSet>`
    : '';
  const selector = e.shellId
    ? `<w:SelectorSet><w:Selector Name="ShellId">${xmlEscape(e.shellId)}</w:Selector></w:SelectorSet>`
    : '';
  const xml =
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<s:Envelope xmlns:s="${NS.s}" xmlns:a="${NS.a}" xmlns:w="${NS.w}" xmlns:p="${NS.p}" xmlns:rsp="${NS.rsp}">` +
    `<s:Header>` +
    `<a:To>${xmlEscape(e.to)}</a:To>` +
    `<a:ReplyTo><a:Address s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>` +
    `<a:Action s:mustUnderstand="true">${xmlEscape(e.action)}</a:Action>` +
    `<w:MaxEnvelopeSize s:mustUnderstand="true">${e.maxEnvelopeSize ?? 153600}</w:MaxEnvelopeSize>` +
    `<a:MessageID>${xmlEscape(messageId)}</a:MessageID>` +
    `<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>` +
    `<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>` +
    `<w:OperationTimeout>PT${Math.max(1, Math.round(e.operationTimeoutSec))}S</w:OperationTimeout>` +
    `<w:ResourceURI s:mustUnderstand="true">${SHELL_URI}</w:ResourceURI>` +
    selector +
    opts +
    `</s:Header>` +
    `<s:Body>${e.body}</s:Body>` +
    `</s:Envelope>`;
  return { xml, messageId };
}

export function createShellBody(): string {
  return '<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>';
}

export function commandBody(command: string, args: readonly string[]): string {
  return (
    `<rsp:CommandLine><rsp:Command>${xmlEscape(command)}</rsp:Command>` +
    args.map((a) => `<rsp:Arguments>${xmlEscape(a)}</rsp:Arguments>`).join('') +
    `</rsp:CommandLine>`
  );
}

export function receiveBody(commandId: string): string {
  return `<rsp:Receive><rsp:DesiredStream CommandId="${xmlEscape(commandId)}">stdout stderr</rsp:DesiredStream></rsp:Receive>`;
}

export function signalBody(commandId: string, code = SIGNAL_TERMINATE): string {
  return `<rsp:Signal CommandId="${xmlEscape(commandId)}"><rsp:Code>${xmlEscape(code)}</rsp:Code></rsp:Signal>`;
}

// ---------------------------------------------------------------- parsing

export class SoapParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoapParseError';
  }
}

/** A SOAP fault from the service: `code` is the WSManFault code when present (e.g. 2150858793). */
export class WsmanFault extends Error {
  constructor(
    readonly code: string | null,
    readonly subcode: string | null,
    readonly reason: string,
    readonly httpStatus: number,
  ) {
    super(reason);
    this.name = 'WsmanFault';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ['Stream', 'Selector', 'Option', 'Arguments', 'Text'].includes(name),
});

export type XmlNode = Record<string, unknown>;

export function parseXml(xml: string): XmlNode {
  if (/<!DOCTYPE/i.test(xml)) throw new SoapParseError('XML with a DOCTYPE is refused');
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (e) {
    throw new SoapParseError(`invalid XML: ${(e as Error).message}`);
  }
  const env = doc['Envelope'];
  if (!env || typeof env !== 'object') throw new SoapParseError('not a SOAP envelope');
  return env as XmlNode;
}

export function child(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XmlNode)[name];
  if (Array.isArray(v)) return v[0] as XmlNode | undefined;
  if (v && typeof v === 'object') return v as XmlNode;
  if (typeof v === 'string') return { '#text': v };
  if (v === '') return { '#text': '' };
  return undefined;
}

export function text(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'object') {
    const t = (node as XmlNode)['#text'];
    return typeof t === 'string' ? t : t === undefined ? '' : String(t);
  }
  return String(node);
}

export function list(node: unknown, name: string): XmlNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XmlNode)[name];
  const arr = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return arr.map((x) => (typeof x === 'object' && x !== null ? (x as XmlNode) : { '#text': String(x) }));
}

/** Finds the fault in an envelope, if any. */
export function faultOf(env: XmlNode, httpStatus: number): WsmanFault | null {
  const fault = child(child(env, 'Body'), 'Fault');
  if (!fault) return null;
  const code = child(fault, 'Code');
  const value = text(child(code, 'Value'));
  const sub = text(child(child(code, 'Subcode'), 'Value'));
  const detail = child(child(fault, 'Detail'), 'WSManFault');
  const wsCode = detail ? ((detail['@_Code'] as string | undefined) ?? null) : null;
  const reasonTexts = list(child(fault, 'Reason'), 'Text').map(text).filter(Boolean);
  const detailMsg = detail ? flatten(child(detail, 'Message')) : '';
  const reason = (detailMsg || reasonTexts[0] || value || 'SOAP fault').replace(/\s+/g, ' ').trim();
  return new WsmanFault(wsCode, sub || value || null, reason, httpStatus);
}

/** All text under a node (WSManFault messages can nest ProviderFault elements). */
function flatten(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(flatten).join(' ');
  if (typeof node === 'object') {
    return Object.entries(node as XmlNode)
      .filter(([k]) => !k.startsWith('@_'))
      .map(([, v]) => flatten(v))
      .join(' ');
  }
  return String(node);
}

export function parseShellId(env: XmlNode): string {
  const body = child(env, 'Body');
  const shell = child(body, 'Shell');
  const direct = text(child(shell, 'ShellId'));
  if (direct) return direct;
  const created = child(body, 'ResourceCreated');
  const sel = list(child(child(created, 'ReferenceParameters'), 'SelectorSet'), 'Selector').find(
    (s) => s['@_Name'] === 'ShellId',
  );
  const id = sel ? text(sel) : '';
  if (!id) throw new SoapParseError('Create response has no ShellId');
  return id;
}

export function parseCommandId(env: XmlNode): string {
  const id = text(child(child(child(env, 'Body'), 'CommandResponse'), 'CommandId'));
  if (!id) throw new SoapParseError('Command response has no CommandId');
  return id;
}

export interface ReceiveChunk {
  stdout: Buffer[];
  stderr: Buffer[];
  done: boolean;
  exitCode: number | null;
}

export function parseReceive(env: XmlNode): ReceiveChunk {
  const rr = child(child(env, 'Body'), 'ReceiveResponse');
  if (!rr) throw new SoapParseError('Receive response has no ReceiveResponse');
  const out: ReceiveChunk = { stdout: [], stderr: [], done: false, exitCode: null };
  for (const s of list(rr, 'Stream')) {
    const data = text(s).replace(/\s+/g, '');
    if (!data) continue;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(data)) throw new SoapParseError('stream data is not base64');
    const buf = Buffer.from(data, 'base64');
    if (s['@_Name'] === 'stdout') out.stdout.push(buf);
    else if (s['@_Name'] === 'stderr') out.stderr.push(buf);
  }
  const state = child(rr, 'CommandState');
  if (state && String(state['@_State'] ?? '').endsWith('/Done')) {
    out.done = true;
    const code = text(child(state, 'ExitCode'));
    const n = Number(code);
    // Windows reports exit codes as unsigned 32-bit; show negative NTSTATUS-like codes as such.
    out.exitCode = code !== '' && Number.isFinite(n) ? (n > 0x7fffffff ? n - 0x100000000 : n) : null;
  }
  return out;
}
