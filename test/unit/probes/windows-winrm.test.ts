// The Windows prober end to end over labgrade's WinRM client, against the WS-Management test
// server answering with the Spanish Windows 10 fixtures (HTTP + NTLM + message encryption).
import { expect } from 'chai';
import { startWsmanServer, type WsmanServer, type PowerShellRequest } from '../../helpers/wsman-server/index.js';
import { registerWindowsProbeFixtures } from '../../fixtures/probes/windows/register.js';
import { connectWinRm } from '../../../grader/transports/winrm/index.js';
import { windowsProber as rawProber } from '../../../grader/probes/windows.js';
import { flatProber } from '../../helpers/facts.js';

// Results in the flat form of test/helpers/facts.ts.
const windowsProber = flatProber(rawProber);
import type { CommandEvidence } from '../../../grader/types.js';

describe('probes/windows over WinRM (test server, fixtures)', function () {
  this.timeout(30000);
  let server: WsmanServer;
  let seen: PowerShellRequest[];
  before(async () => {
    server = await startWsmanServer({ accounts: [{ user: 'alumno', password: 'Contraseña-1' }] });
    seen = registerWindowsProbeFixtures(server);
  });
  after(async () => {
    await server.close();
  });

  it('config, reach and resolve give the facts of the recorded guest; arguments travel as data', async () => {
    const conn = await connectWinRm({ host: '127.0.0.1', port: server.port, scheme: 'http', user: 'alumno', password: 'Contraseña-1', auth: 'ntlm' });
    try {
      const ev: CommandEvidence[] = [];
      const cfg = await windowsProber.config(conn, ev);
      expect(cfg.interfaces[0]).to.deep.include({ name: 'Instancia de Ethernet 0', mac: '52:54:00:22:fa:b7', dhcpEnabled: true });
      expect(cfg.defaultGateway).to.equal('192.168.101.1');
      expect(cfg.dnsServers).to.deep.equal(['192.168.101.1']);
      expect(cfg.firewallEnabled).to.equal(true);
      const targets = ['192.168.101.218', '192.168.101.1', '198.51.100.10', '192.168.101.77'];
      const reach = await windowsProber.reach(conn, targets, 1000, ev);
      expect(reach.map((r) => r.status)).to.deep.equal(['filtered', 'replied', 'replied', 'no-neighbour']);
      const res = await windowsProber.resolve(conn, 'www.labgrade.test', 1000, ev);
      expect(res).to.deep.include({ status: 'resolved', addresses: ['198.51.100.10'] });
      const nx = await windowsProber.resolve(conn, 'nada.labgrade.test', 1000, ev);
      expect(nx.status).to.equal('not-found');
      expect(seen.map((s) => s.args)).to.deep.equal([[], ['1000', ...targets], ['www.labgrade.test', '1000'], ['nada.labgrade.test', '1000']]);
      expect(ev.map((e) => e.transport)).to.deep.equal(['winrm', 'winrm', 'winrm', 'winrm']);
      expect(ev[0]!.stderr).to.equal(''); // progress records are dropped from CLIXML
    } finally {
      await conn.close();
    }
  });
});
