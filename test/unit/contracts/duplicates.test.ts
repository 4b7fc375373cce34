// One copy of each job (issue 21 item 6): each rule names the one module that does it, and fails
// when another source file does it again. docs/ARCHITECTURE.md lists these contracts.
import { expect } from 'chai';
import { filesMatching } from '../../helpers/sources.js';

const CODE = ['grader', 'checks', 'reports', 'bin', 'scripts'];

describe('contracts: one copy of each job', () => {
  it('IPv4 and hostname validation and subnet arithmetic live only in grader/net/ipv4.ts', () => {
    // The octet pattern of a dotted quad, and a netmask built by shifting.
    expect(filesMatching(/25\[0-5\]/, CODE, ['grader/net/ipv4.ts'])).to.deep.equal([]);
    expect(filesMatching(/0xffffffff\s*<</, CODE, ['grader/net/ipv4.ts'])).to.deep.equal([]);
    expect(filesMatching(/function (isIpv4|isHostname|inSubnet|inRange|ipToInt|ipv4ToInt)\b/, CODE, ['grader/net/ipv4.ts'])).to.deep.equal([]);
  });

  it("POSIX shell quoting lives only in grader/transports/quote.ts", () => {
    expect(filesMatching(/'\\\\''/, CODE, ['grader/transports/quote.ts'])).to.deep.equal([]);
  });

  it('a Verdict is built only by grader/verdict.ts (one id rule, one set of defaults)', () => {
    expect(filesMatching(/\.host\.\$\{/, CODE, ['grader/verdict.ts'])).to.deep.equal([]);
    expect(filesMatching(/studentAnswer: null,\s*\n\s*observed:/, CODE, ['grader/verdict.ts'])).to.deep.equal([]);
  });

  it('the unreachable-guest guard of the question checks is written once (onMeasuredGuest)', () => {
    expect(filesMatching(/return unmeasured\(/, ['checks'], ['checks/questions/util.ts'])).to.deep.equal([]);
  });

  it('the guest agent is polled in one loop (grader/transports/agent.ts exec)', () => {
    expect(filesMatching(/guest-exec-status/, CODE, ['grader/transports/agent.ts'])).to.deep.equal([]);
  });

  it('the lab starts dnsmasq in one place (grader/lab/namespaces.ts ensureDnsmasq)', () => {
    expect(filesMatching(/'dnsmasq',/, CODE, ['grader/lab/namespaces.ts'])).to.deep.equal([]);
  });

  it('the network-type words are in one catalogue (grader/i18n/*/inspect.ts, said by grader/libvirt/type-label.ts)', () => {
    expect(filesMatching(/'type\.very-isolated'/, ['grader/i18n'], ['grader/i18n/es/inspect.ts', 'grader/i18n/en/inspect.ts'])).to.deep.equal([]);
    expect(filesMatching(/`type\.\$\{/, CODE, ['grader/libvirt/type-label.ts', 'grader/inputs/schema-text.ts'])).to.deep.equal([]);
  });
});
