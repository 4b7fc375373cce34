// Guest flavours of the lab (grader/lab/flavours.ts): option parsing, how a scenario gets them,
// the domain XML each flavour boots with, and the unprivileged-user lab file. No lab needed.
import { expect } from 'chai';
import { parse } from 'yaml';
import { parseFlavours, flavourFor, roleOf, FLAVOURS } from '../../../grader/lab/flavours.js';
import { SCENARIOS, withFlavours, validateScenario } from '../../../grader/lab/scenarios.js';
import { domainXml, kernelCmdline } from '../../../grader/lab/guests.js';
import { labFileYaml, parseUsers } from '../../../grader/lab/labfile.js';
import { LabError } from '../../../grader/lab/errors.js';
import type { GuestImage } from '../../../grader/lab/image.js';

const image = (flavour: GuestImage['flavour'], disk: string | null): GuestImage => ({
  flavour,
  id: `id-${flavour}`,
  kernel: `/var/cache/labgrade/image-${flavour}/vmlinux`,
  initrd: `/var/cache/labgrade/image-${flavour}/initrd.img`,
  disk,
  versions: '',
  built: false,
  buildMs: 0,
});

describe('lab guest flavours', () => {
  it('parses one flavour for every guest, or role/guest lists', () => {
    expect(parseFlavours('debian-nm')).to.deep.equal({ '*': 'debian-nm' });
    expect(parseFlavours('linux=debian-nm, windows=busybox')).to.deep.equal({ linux: 'debian-nm', windows: 'busybox' });
    expect(parseFlavours('busybox,win10-iso=debian-networkd')).to.deep.equal({ '*': 'busybox', 'win10-iso': 'debian-networkd' });
  });

  it('refuses unknown flavours and malformed keys with a usage error', () => {
    for (const bad of ['ubuntu', 'linux=', 'linux=debian', 'LINUX=busybox', '', ' , ']) {
      expect(() => parseFlavours(bad), bad).to.throw(LabError).with.property('code', 'badFlavour');
    }
  });

  it('a guest name wins over its role, a role over the default', () => {
    const c = parseFlavours('busybox,windows=debian-nm,win10-viso=debian-networkd');
    expect(flavourFor(c, 'debian12')).to.equal('busybox');
    expect(flavourFor(c, 'win10')).to.equal('debian-nm');
    expect(flavourFor(c, 'win10-viso')).to.equal('debian-networkd');
    expect(roleOf('win10-iso')).to.equal('windows');
    expect(roleOf('debian12-viso')).to.equal('linux');
  });

  it('puts flavours into a scenario, leaving tiny guests as they were', () => {
    const def = withFlavours(SCENARIOS.all!, { linux: 'debian-nm', 'win10-iso': 'busybox' });
    expect(def.guests.debian12!.flavour).to.equal('debian-nm');
    expect(def.guests['debian12-viso']!.flavour).to.equal('debian-nm');
    expect(def.guests['win10-iso']!.flavour).to.equal('busybox');
    expect(def.guests.win10).to.deep.equal(SCENARIOS.all!.guests.win10);
    expect(def.guests['debian12-iso']!.ip).to.deep.equal(SCENARIOS.all!.guests['debian12-iso']!.ip);
    expect(def.name).to.equal('all[linux=debian-nm,win10-iso=busybox]');
    expect(validateScenario(def)).to.equal(def);
    // back to tiny: the field disappears (same definition as before flavours existed)
    expect(withFlavours(def, { '*': 'tiny' }).guests.debian12).to.deep.equal(SCENARIOS.all!.guests.debian12);
  });

  it('refuses a flavour for a VM the scenario does not run', () => {
    expect(() => withFlavours(SCENARIOS.nat!, { 'debian12-iso': 'busybox' })).to.throw(LabError).with.property('code', 'badFlavourTarget');
    expect(() => validateScenario({ name: 'x', guests: { a: { network: 'red-nat', ip: { mode: 'dhcp' }, flavour: 'centos' as never } } })).to.throw(LabError);
  });

  it('boots the Debian flavours from a shared raw disk through a transient overlay, with their memory and TB cache', () => {
    const g = { ...SCENARIOS.nat!.guests.debian12!, flavour: 'debian-nm' as const };
    const { xml } = domainXml('debian12', g, image('debian-nm', '/var/cache/labgrade/image-debian-nm/disk.raw'), {});
    expect(xml).to.include(`<memory unit='MiB'>${FLAVOURS['debian-nm'].memoryMiB}</memory>`);
    expect(xml).to.include('<vcpu>2</vcpu>');
    expect(xml).to.include("<tb-cache unit='MiB'>256</tb-cache>");
    expect(xml).to.include("<source file='/var/cache/labgrade/image-debian-nm/disk.raw'/>");
    expect(xml).to.include("<transient shareBacking='yes'/>");
    expect(kernelCmdline('debian12', g)).to.match(/^root=\/dev\/vda rw console=ttyS0 .*labgrade\.hostname=debian12 labgrade\.ip=dhcp$/);
  });

  it('keeps the tiny guest as it was (no disk, 128 MiB, 1 vCPU); busybox is the same shape', () => {
    const g = SCENARIOS.isolated!.guests.win10!;
    for (const f of ['tiny', 'busybox'] as const) {
      const { xml } = domainXml('win10', f === 'tiny' ? g : { ...g, flavour: f }, image(f, null), {});
      expect(xml).to.not.include('<disk');
      expect(xml).to.include("<memory unit='MiB'>128</memory>");
      expect(xml).to.include('<vcpu>1</vcpu>');
      expect(xml).to.not.include('tb-cache');
    }
    expect(kernelCmdline('win10', g)).to.equal('console=ttyS0 quiet loglevel=3 labgrade.hostname=win10 labgrade.ip=192.168.102.3/24');
  });

  it('a different flavour is a different definition (the guest restarts)', () => {
    const g = SCENARIOS.nat!.guests.debian12!;
    const a = domainXml('debian12', g, image('tiny', null), {}).fp;
    const b = domainXml('debian12', { ...g, flavour: 'busybox' }, image('busybox', null), {}).fp;
    expect(a).to.not.equal(b);
  });
});

describe('lab files for the unprivileged user', () => {
  it('reaches a role as usuario by password only, the other as root by key', () => {
    const doc = parse(labFileYaml({ linux: 'debian12', windows: 'win10' }, { users: { windows: 'usuario' } })) as {
      vms: Record<string, { os?: string; access: Record<string, Record<string, unknown>>[] }>;
    };
    const win = doc.vms.windows!.access[0]!.ssh!;
    expect(win.user).to.equal('usuario');
    expect(win).to.not.have.property('key');
    expect(win.password).to.deep.equal({ file: '/var/lib/labgrade/guest-password' });
    expect(win.known_hosts).to.equal('/var/lib/labgrade/known_hosts');
    expect(doc.vms.windows!.access[1]).to.deep.equal({ agent: {} });
    expect(doc.vms.windows!.os).to.equal('linux');
    const lin = doc.vms.linux!.access[0]!.ssh!;
    expect(lin.user).to.equal('root');
    expect(lin.key).to.equal('/var/lib/labgrade/id_ed25519');
  });

  it('`*` sets every role; --user parses roles and refuses anything else', () => {
    const doc = parse(labFileYaml({ linux: 'a', windows: 'b' }, { users: parseUsers('usuario') })) as {
      vms: Record<string, { access: Record<string, Record<string, unknown>>[] }>;
    };
    expect(doc.vms.linux!.access[0]!.ssh!.user).to.equal('usuario');
    expect(doc.vms.windows!.access[0]!.ssh!.user).to.equal('usuario');
    expect(parseUsers('windows=usuario,linux=root')).to.deep.equal({ windows: 'usuario', linux: 'root' });
    for (const bad of ['admin', 'windows=admin', 'mac=usuario', '']) {
      expect(() => parseUsers(bad), bad).to.throw(LabError).with.property('code', 'badUser');
    }
  });
});
