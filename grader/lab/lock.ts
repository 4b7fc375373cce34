// One process at a time changes the lab: a pid lock file in /run/labgrade (stale locks of dead
// processes are taken over). Re-entrant within a process.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { paths } from './constants.js';
import { LabError } from './errors.js';
import { alive } from './procs.js';
import { sleep } from './run.js';

const held = { depth: 0 };

export async function withLabLock<T>(fn: () => Promise<T>, waitMs = 20 * 60_000): Promise<T> {
  if (held.depth > 0) {
    held.depth++;
    try {
      return await fn();
    } finally {
      held.depth--;
    }
  }
  await mkdir(dirname(paths.lock), { recursive: true });
  const t0 = Date.now();
  for (;;) {
    try {
      const fh = await open(paths.lock, 'wx', 0o644);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(await readFile(paths.lock, 'utf8').catch(() => ''), 10);
      if (!Number.isInteger(pid) || pid === process.pid || !alive(pid)) {
        await rm(paths.lock, { force: true });
        continue;
      }
      if (Date.now() - t0 > waitMs) throw new LabError('lockBusy', { pid });
      await sleep(250);
    }
  }
  held.depth = 1;
  try {
    return await fn();
  } finally {
    held.depth = 0;
    await rm(paths.lock, { force: true });
  }
}
