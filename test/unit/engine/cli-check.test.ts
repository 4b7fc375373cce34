// `labgrade check` input errors end in exit code 2 with a clear message, before any host is touched.
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { main } from '../../../grader/cli/main.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC = `${root}exercises/clase2-redes.yaml`;
const ANSWERS = `${root}exercises/demo/answers-correct.yaml`;

async function run(args: string[]): Promise<{ code: number | undefined; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  let stderr = '';
  const saved = process.exitCode;
  process.exitCode = undefined;
  (process.stderr as unknown as { write: (s: string) => boolean }).write = (s: string) => {
    stderr += s;
    return true;
  };
  try {
    await main(['node', 'labgrade', ...args]);
    return { code: process.exitCode as number | undefined, stderr };
  } finally {
    process.stderr.write = write;
    process.exitCode = saved;
  }
}

describe('labgrade check: input errors (exit 2)', () => {
  it('rejects an unknown format', async () => {
    const r = await run(['check', SPEC, '--lab', '/nonexistent/lab.yaml', '--answers', ANSWERS, '--format', 'pdf', '--lang', 'en']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.match(/--format takes text, json, junit, html, not "pdf"/);
  });

  it('rejects an unknown task, listing the valid ones', async () => {
    const r = await run(['check', SPEC, '--lab', '/nonexistent/lab.yaml', '--answers', ANSWERS, '--task', 'nope', '--lang', 'en']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('auto, all, nat, isolated, very_isolated');
  });

  it('names a missing lab file', async () => {
    const r = await run(['check', SPEC, '--lab', '/nonexistent/lab.yaml', '--answers', ANSWERS, '--lang', 'en']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('/nonexistent/lab.yaml');
  });

  it('requires --lab and --answers', async () => {
    const r = await run(['check', SPEC]);
    expect(r.code).to.equal(2);
  });
});
