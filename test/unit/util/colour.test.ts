// One colour rule (grader/util/colour.ts): a terminal, no NO_COLOR (any value, even empty), not
// TERM=dumb; --color/--no-color override. Through the CLI: a piped check report has no colour,
// --color forces it.
import { expect } from 'chai';
import { paint, wantColour } from '../../../grader/util/colour.js';

describe('colour: one rule', () => {
  it('on a terminal only, off with NO_COLOR (any value, even empty) or TERM=dumb', () => {
    expect(wantColour({ isTTY: true }, {}, undefined)).to.equal(true);
    expect(wantColour({ isTTY: false }, {}, undefined)).to.equal(false);
    expect(wantColour({}, {}, undefined)).to.equal(false);
    expect(wantColour({ isTTY: true }, { NO_COLOR: '1' }, undefined)).to.equal(false);
    expect(wantColour({ isTTY: true }, { NO_COLOR: '' }, undefined)).to.equal(false);
    expect(wantColour({ isTTY: true }, { TERM: 'dumb' }, undefined)).to.equal(false);
  });

  it('--color / --no-color win over the guess', () => {
    expect(wantColour({ isTTY: false }, { NO_COLOR: '1' }, true)).to.equal(true);
    expect(wantColour({ isTTY: true }, {}, false)).to.equal(false);
  });

  it('paint wraps only when on', () => {
    expect(paint('red', 'x', true)).to.equal('\u001b[31mx\u001b[0m');
    expect(paint('red', 'x', false)).to.equal('x');
  });
});
