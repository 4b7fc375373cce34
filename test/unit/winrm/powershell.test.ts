import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  decodeClixml,
  encodeCommand,
  MAX_COMMAND_LINE,
  powershellCommand,
  psQuote,
  wrapScript,
} from '../../../grader/transports/winrm/powershell.js';
import { clixmlError, decodePowerShell, parseWrapped } from '../../helpers/wsman-server/index.js';

const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../fixtures/winrm/${name}`, import.meta.url)), 'utf8');

describe('winrm/powershell: scripts, arguments and CLIXML', () => {
  it('quotes arguments as PowerShell single-quoted literals (quotes doubled, typographic ones too)', () => {
    expect(psQuote('abc')).to.equal("'abc'");
    expect(psQuote("it's")).to.equal("'it''s'");
    expect(psQuote('a\u2019b')).to.equal("'a\u2019\u2019b'");
    expect(psQuote('$(Remove-Item C:\\ -Recurse); `whoami`')).to.equal("'$(Remove-Item C:\\ -Recurse); `whoami`'");
    expect(() => psQuote('a\0b')).to.throw(/NUL/);
  });

  it('passes hostile arguments through as data (round trip through the server-side parser)', () => {
    const args = ['1.1.1.1; reboot', '$(id)', '-oProxyCommand=calc', "O'Brien", 'x\u2018y\u201bz', '', 'línea\nnueva'];
    const text = wrapScript('Write-Output $args', args);
    const parsed = parseWrapped(text);
    expect(parsed).to.not.equal(null);
    expect(parsed!.args).to.deep.equal(args);
    expect(parsed!.body).to.equal('Write-Output $args');
    expect(text.startsWith("$ProgressPreference = 'SilentlyContinue'")).to.equal(true);
  });

  it('builds powershell.exe -EncodedCommand with UTF-16LE base64 and counts the command line', () => {
    const cmd = powershellCommand('Get-Date', []);
    expect(cmd.command).to.equal('powershell.exe');
    expect(cmd.args.slice(0, -1)).to.deep.equal(['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand']);
    const decoded = decodePowerShell([cmd.command, ...cmd.args].join(' '));
    expect(decoded).to.equal(wrapScript('Get-Date', []));
    expect(encodeCommand('ñ')).to.equal(Buffer.from('ñ', 'utf16le').toString('base64'));
    expect(cmd.length).to.be.lessThan(MAX_COMMAND_LINE);
    expect(powershellCommand('x'.repeat(20000), []).length).to.be.greaterThan(MAX_COMMAND_LINE);
  });

  it('decodes a Spanish Resolve-DnsName error from CLIXML and drops the progress record', () => {
    const text = decodeClixml(fixture('clixml-resolve-dnsname-es.txt'));
    expect(text.split('\n')[0]).to.equal('Resolve-DnsName : www.labgrade.test : El nombre DNS no existe');
    expect(text).to.contain('En línea: 1 Carácter: 1');
    expect(text).to.contain('FullyQualifiedErrorId : DNS_ERROR_RCODE_NAME_ERROR');
    expect(text).to.not.contain('Preparando módulos');
    expect(text).to.not.contain('_x000D_');
    expect(text).to.not.contain('\r');
  });

  it('keeps warnings with a prefix, unescapes XML entities, and ignores progress-only documents', () => {
    const text = decodeClixml(fixture('clixml-progress-warning-es.txt'));
    expect(text).to.equal('WARNING: La directiva <Perfil público> bloquea el tráfico & ICMP\n');
    const onlyProgress = clixmlError('x').replace(/<S S="Error">.*<\/S>/, '');
    expect(decodeClixml(onlyProgress)).to.equal('');
  });

  it('leaves plain stderr alone and decodes several CLIXML documents in a row', () => {
    expect(decodeClixml('plain error\r\n')).to.equal('plain error\r\n');
    const two = clixmlError('primero') + clixmlError('segundo _x0041_ literal', false);
    expect(decodeClixml(two)).to.equal('primero\nsegundo _x0041_ literal\n');
  });
});
