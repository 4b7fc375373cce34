import { expect } from 'chai';
import { byAddress, byText } from '../../../grader/util/compare.js';

describe('util/compare (sorting without ICU collation)', () => {
  it('names: case-insensitive, then exact; a total order', () => {
    expect(['red-nat', 'Red-B', 'default', 'red-aislada', 'red-b'].sort(byText)).to.deep.equal(['default', 'red-aislada', 'Red-B', 'red-b', 'red-nat']);
  });
  it('addresses by value, not by text; non-addresses after them', () => {
    expect(['192.168.1.10', '192.168.1.9', 'fe80::1', '10.0.0.1'].sort(byAddress)).to.deep.equal(['10.0.0.1', '192.168.1.9', '192.168.1.10', 'fe80::1']);
  });
});
