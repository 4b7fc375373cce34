import { expect } from 'chai';
import {
  isHostname,
  isIpv4,
  isNone,
  parseAddressWithPrefix,
  parseConfigMethod,
  parseDnsList,
  parseIpv4,
  parseIpv4Config,
  parseIpv4OrNone,
  parseNetmask,
  parseYesNo,
} from '../../../grader/spec/parse-answer.js';

const value = <T>(r: { ok: boolean; value?: T; error?: string }): T | string => (r.ok ? (r.value as T) : `ERR:${r.error}`);

describe('answer parsers', () => {
  it('yes/no: lenient spellings, strict with ambiguity', () => {
    for (const s of ['sí', 'Sí', 'si', 'SI', 'yes', 'Y', 'true', 'sí, sin problema', 'Sí.', '  yes  ']) expect(value(parseYesNo(s)), s).to.equal(true);
    for (const s of ['no', 'No', 'N', 'false', 'no, la red es inaccesible', 'NO.']) expect(value(parseYesNo(s)), s).to.equal(false);
    expect(value(parseYesNo(true))).to.equal(true);
    expect(value(parseYesNo(false))).to.equal(false);
    for (const s of ['sí y no', 'yes/no', 'no, bueno, sí', 'depende: sí o no']) expect(value(parseYesNo(s)), s).to.equal('ERR:ansYesNoAmbiguous');
    for (const s of ['quizá', 'maybe', '42']) expect(value(parseYesNo(s)), s).to.equal('ERR:ansYesNoUnknown');
    expect(value(parseYesNo('  '))).to.equal('ERR:ansEmpty');
  });

  it('configuration method: dinámica/dynamic/DHCP/automática vs estática/static/manual; negation flips', () => {
    for (const s of ['dinámica', 'dinamica', 'Dinámica (DHCP)', 'dynamic', 'DHCP', 'automática', 'por DHCP', 'no estática']) expect(value(parseConfigMethod(s)), s).to.equal('dynamic');
    for (const s of ['estática', 'Estatica', 'static', 'manual', 'IP fija', 'estática, sin DHCP']) expect(value(parseConfigMethod(s)), s).to.equal('static');
    for (const s of ['estática o dinámica', 'static/dynamic', 'manual con DHCP']) expect(value(parseConfigMethod(s)), s).to.equal('ERR:ansMethodAmbiguous');
    expect(value(parseConfigMethod('la de siempre'))).to.equal('ERR:ansMethodUnknown');
  });

  it('IPv4 addresses: strict dotted quads', () => {
    expect(isIpv4('192.168.101.1')).to.equal(true);
    expect(isIpv4('0.0.0.0')).to.equal(true);
    for (const s of ['999.1.1.1', '256.0.0.1', '1.2.3', '1.2.3.4.5', '192.168.001.1', ' 1.2.3.4', '1.2.3.4/24', '', 'a.b.c.d', '1..2.3']) expect(isIpv4(s), s).to.equal(false);
    expect(value(parseIpv4('999.1.1.1'))).to.equal('ERR:ansIpv4Invalid');
    expect(value(parseIpv4('192.168.001.001'))).to.equal('ERR:ansIpv4LeadingZero');
    expect(value(parseIpv4(' 10.0.0.1 '))).to.equal('10.0.0.1');
  });

  it('hostnames: RFC 1123 labels; numeric last label is not a hostname', () => {
    for (const s of ['www.debian.org', 'www.labgrade.test', 'localhost', 'a-b.c', 'host1']) expect(isHostname(s), s).to.equal(true);
    for (const s of ['999.1.1.1', '-bad.org', 'bad-.org', 'a..b', 'under_score.org', 'sp ace', '', 'x'.repeat(64) + '.org', 'a;rm -rf', '$(id)']) expect(isHostname(s), s).to.equal(false);
  });

  it('"none" in its human spellings, and single IPv4 or none', () => {
    for (const s of ['ninguno', 'Ninguna', 'none', 'No hay', '-', 'sin DNS', 'nada.']) expect(isNone(s), s).to.equal(true);
    expect(value(parseIpv4OrNone('ninguno'))).to.equal(null);
    expect(value(parseIpv4OrNone('192.168.101.1'))).to.equal('192.168.101.1');
    expect(value(parseIpv4OrNone('192.168.101.1, 8.8.8.8'))).to.equal('ERR:ansIpv4One');
    expect(value(parseIpv4OrNone('el host'))).to.equal('ERR:ansIpv4Invalid');
  });

  it('netmasks and prefixes: /24, dotted masks, non-contiguous masks rejected', () => {
    expect(value(parseNetmask('255.255.255.0'))).to.equal(24);
    expect(value(parseNetmask('255.255.0.0'))).to.equal(16);
    expect(value(parseNetmask('255.255.255.255'))).to.equal(32);
    expect(value(parseNetmask('255.0.255.0'))).to.equal('ERR:ansNetmaskNotContiguous');
    expect(value(parseNetmask('0.0.0.0'))).to.equal('ERR:ansPrefixRange');
    expect(value(parseAddressWithPrefix('192.168.101.218/24'))).to.deep.equal({ address: '192.168.101.218', prefix: 24 });
    expect(value(parseAddressWithPrefix('192.168.101.219 255.255.255.0'))).to.deep.equal({ address: '192.168.101.219', prefix: 24 });
    expect(value(parseAddressWithPrefix('192.168.101.219 / 255.255.255.0'))).to.deep.equal({ address: '192.168.101.219', prefix: 24 });
    expect(value(parseAddressWithPrefix('172.22.0.2 netmask 255.255.0.0'))).to.deep.equal({ address: '172.22.0.2', prefix: 16 });
    expect(value(parseAddressWithPrefix('172.22.0.2 máscara 255.255.0.0'))).to.deep.equal({ address: '172.22.0.2', prefix: 16 });
    expect(value(parseAddressWithPrefix('172.22.0.2'))).to.deep.equal({ address: '172.22.0.2', prefix: null });
    expect(value(parseAddressWithPrefix('172.22.0.2/33'))).to.equal('ERR:ansPrefixRange');
    expect(value(parseAddressWithPrefix('172.22.0.2/0'))).to.equal('ERR:ansPrefixRange');
    expect(value(parseAddressWithPrefix('172.22.0.2 255.0.255.0'))).to.equal('ERR:ansNetmaskNotContiguous');
    expect(value(parseAddressWithPrefix('172.22.0.2 255.255.0.0 extra'))).to.equal('ERR:ansAddressForm');
    expect(value(parseAddressWithPrefix('999.1.1.1/24'))).to.equal('ERR:ansIpv4Invalid');
  });

  it('DNS lists: one, several, a YAML list, or none', () => {
    expect(value(parseDnsList('192.168.101.1'))).to.deep.equal(['192.168.101.1']);
    expect(value(parseDnsList('1.1.1.1, 8.8.8.8; 1.1.1.1'))).to.deep.equal(['1.1.1.1', '8.8.8.8']);
    expect(value(parseDnsList(['192.168.101.1']))).to.deep.equal(['192.168.101.1']);
    expect(value(parseDnsList('ninguno'))).to.deep.equal([]);
    expect(value(parseDnsList(['ninguno']))).to.deep.equal([]);
    expect(value(parseDnsList('1.1.1.1 x'))).to.equal('ERR:ansIpv4Invalid');
  });

  it('IPv4 configuration: fields combined, conflicts and per-field errors', () => {
    expect(parseIpv4Config({ address: '192.168.101.218/24', gateway: '192.168.101.1', dns: '192.168.101.1' })).to.deep.equal({
      ok: true,
      value: { address: '192.168.101.218', prefix: 24, gateway: '192.168.101.1', dns: ['192.168.101.1'] },
    });
    expect(parseIpv4Config({ address: '192.168.102.3', netmask: '255.255.255.0', gateway: 'ninguna' })).to.deep.equal({
      ok: true,
      value: { address: '192.168.102.3', prefix: 24, gateway: null, dns: [] },
    });
    expect(parseIpv4Config({ address: '10.0.0.1', prefix: 8 })).to.deep.include({ ok: true });
    const conflict = parseIpv4Config({ address: '10.0.0.1/24', netmask: '255.255.0.0' });
    expect(conflict).to.deep.equal({ ok: false, errors: [{ field: 'netmask', error: 'ansPrefixConflict', params: { a: '24', b: '16' } }] });
    const many = parseIpv4Config({ address: '10.0.0.300/24', gateway: 'sí', dns: ['1.1.1.1', 'x'] });
    expect(many.ok).to.equal(false);
    if (!many.ok) expect(many.errors.map((e) => e.field)).to.deep.equal(['address', 'gateway', 'dns']);
  });
});
