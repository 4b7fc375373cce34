// Addresses, names and "none": the primitives under the answer readers (the readers themselves
// are tested over the corpus in answers-corpus.test.ts).
import { expect } from 'chai';
import { configField, isHostname, isIpv4, isNone, parseIpv4 } from '../../../grader/inputs/parse-answer.js';

const value = <T>(r: { ok: boolean; value?: T; error?: string }): T | string => (r.ok ? (r.value as T) : `ERR:${r.error}`);

describe('answer primitives', () => {
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

  it('"none" in its human spellings', () => {
    for (const s of ['ninguno', 'Ninguna', 'none', 'No hay', '-', 'sin DNS', 'nada.']) expect(isNone(s), s).to.equal(true);
    for (const s of ['192.168.101.1', 'el host', 'sí']) expect(isNone(s), s).to.equal(false);
  });

  it('configuration field names in English and Spanish', () => {
    expect(configField('dirección')).to.equal('address');
    expect(configField('Puerta de enlace')).to.equal('gateway');
    expect(configField('servidores_dns')).to.equal('dns');
    expect(configField('máscara')).to.equal('netmask');
    expect(configField('router_ip')).to.equal(undefined);
  });
});
