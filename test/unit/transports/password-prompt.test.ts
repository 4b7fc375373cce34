// The terminal prompt for a password the lab file does not hold: raw mode (no echo), one line,
// backspace works, nothing of it written back.
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { readHidden } from '../../../grader/transports/password-prompt.js';

describe('transports/password-prompt', () => {
  it('reads one line with echo off and writes only the question', async () => {
    const input = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
    const modes: boolean[] = [];
    (input as unknown as { setRawMode: (m: boolean) => void }).setRawMode = (m: boolean) => void modes.push(m);
    let shown = '';
    const output = { write: (s: string) => ((shown += s), true) } as unknown as NodeJS.WriteStream;
    const p = readHidden('Contraseña: ', input, output);
    input.write('s3crx\u007fet');
    input.write('\r');
    expect(await p).to.equal('s3cret');
    expect(shown).to.equal('Contraseña: \n');
    expect(modes).to.deep.equal([true, false]);
  });
});
