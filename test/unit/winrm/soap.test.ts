import { expect } from 'chai';
import {
  commandBody,
  envelope,
  faultOf,
  parseCommandId,
  parseReceive,
  parseShellId,
  parseXml,
  SoapParseError,
  xmlEscape,
} from '../../../grader/transports/winrm/soap.js';

const S = 'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:rsp="http://schemas.microsoft.com/wbem/wsman/1/windows/shell"';

describe('winrm/soap: envelopes and responses', () => {
  it('escapes every value placed in an envelope', () => {
    const { xml, messageId } = envelope({
      action: 'urn:a',
      to: 'http://h:5985/wsman?a=1&b=<2>',
      shellId: '"><x/>',
      options: { WINRS_CODEPAGE: '65001' },
      body: commandBody('powershell.exe', ['</rsp:Arguments><evil/>', "it's & that"]),
      operationTimeoutSec: 20,
    });
    expect(messageId).to.match(/^uuid:[0-9A-F-]{36}$/);
    expect(xml).to.not.contain('<evil/>');
    expect(xml).to.not.contain('"><x/>');
    const env = parseXml(xml);
    const header = env['Header'] as Record<string, unknown>;
    expect(JSON.stringify(header)).to.contain('a=1&b=<2>');
    const cl = (env['Body'] as Record<string, any>)['CommandLine'];
    expect(cl.Arguments.map((a: unknown) => (typeof a === 'string' ? a : (a as any)['#text']))).to.deep.equal([
      '</rsp:Arguments><evil/>',
      "it's & that",
    ]);
    expect(xmlEscape(`<&>"'`)).to.equal('&lt;&amp;&gt;&quot;&apos;');
  });

  it('reads the ShellId from a Create response (selector or Shell element)', () => {
    const viaSelector = parseXml(
      `<s:Envelope ${S} xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd" xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header/><s:Body><x:ResourceCreated><a:ReferenceParameters><w:SelectorSet><w:Selector Name="ShellId">ABC-1</w:Selector></w:SelectorSet></a:ReferenceParameters></x:ResourceCreated></s:Body></s:Envelope>`,
    );
    expect(parseShellId(viaSelector)).to.equal('ABC-1');
    const viaShell = parseXml(`<s:Envelope ${S}><s:Body><rsp:Shell><rsp:ShellId>XYZ</rsp:ShellId></rsp:Shell></s:Body></s:Envelope>`);
    expect(parseShellId(viaShell)).to.equal('XYZ');
    expect(parseCommandId(parseXml(`<s:Envelope ${S}><s:Body><rsp:CommandResponse><rsp:CommandId>C1</rsp:CommandId></rsp:CommandResponse></s:Body></s:Envelope>`))).to.equal('C1');
  });

  it('decodes Receive streams, the Done state and unsigned exit codes', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const env = parseXml(
      `<s:Envelope ${S}><s:Body><rsp:ReceiveResponse>` +
        `<rsp:Stream Name="stdout" CommandId="C">${b64('hola ')}</rsp:Stream>` +
        `<rsp:Stream Name="stdout" CommandId="C">${b64('mundo')}</rsp:Stream>` +
        `<rsp:Stream Name="stderr" CommandId="C">${b64('err')}</rsp:Stream>` +
        `<rsp:Stream Name="stdout" CommandId="C" End="true"></rsp:Stream>` +
        `<rsp:CommandState CommandId="C" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Done"><rsp:ExitCode>3221225786</rsp:ExitCode></rsp:CommandState>` +
        `</rsp:ReceiveResponse></s:Body></s:Envelope>`,
    );
    const r = parseReceive(env);
    expect(Buffer.concat(r.stdout).toString()).to.equal('hola mundo');
    expect(Buffer.concat(r.stderr).toString()).to.equal('err');
    expect(r.done).to.equal(true);
    expect(r.exitCode).to.equal(-1073741510); // 0xC000013A as a signed 32-bit value
    const running = parseReceive(
      parseXml(`<s:Envelope ${S}><s:Body><rsp:ReceiveResponse><rsp:CommandState CommandId="C" State="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/Running"/></rsp:ReceiveResponse></s:Body></s:Envelope>`),
    );
    expect(running.done).to.equal(false);
    expect(running.exitCode).to.equal(null);
  });

  it('maps a Windows SOAP fault to its WSManFault code and message', () => {
    const xml =
      `<s:Envelope xml:lang="es-ES" xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"><s:Header/><s:Body><s:Fault>` +
      `<s:Code><s:Value>s:Receiver</s:Value><s:Subcode><s:Value>w:TimedOut</s:Value></s:Subcode></s:Code>` +
      `<s:Reason><s:Text xml:lang="">El servicio WS-Management no puede completar la operación en el tiempo especificado en OperationTimeout.  </s:Text></s:Reason>` +
      `<s:Detail><f:WSManFault xmlns:f="http://schemas.microsoft.com/wbem/wsman/1/wsmanfault" Code="2150858793" Machine="win10"><f:Message>El servicio WS-Management no puede completar la operación en el tiempo especificado en OperationTimeout.  </f:Message></f:WSManFault></s:Detail>` +
      `</s:Fault></s:Body></s:Envelope>`;
    const f = faultOf(parseXml(xml), 500)!;
    expect(f.code).to.equal('2150858793');
    expect(f.subcode).to.equal('w:TimedOut');
    expect(f.reason).to.equal('El servicio WS-Management no puede completar la operación en el tiempo especificado en OperationTimeout.');
  });

  it('refuses DOCTYPEs (entity expansion) and non-SOAP documents', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "aaaa">]><s:Envelope/>')).to.throw(SoapParseError);
    expect(() => parseXml('<html><body>IIS</body></html>')).to.throw(SoapParseError);
    expect(() => parseReceive(parseXml(`<s:Envelope ${S}><s:Body><rsp:ReceiveResponse><rsp:Stream Name="stdout">not base64!</rsp:Stream></rsp:ReceiveResponse></s:Body></s:Envelope>`))).to.throw(SoapParseError);
  });
});
