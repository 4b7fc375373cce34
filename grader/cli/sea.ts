// Entry point of the single executable (scripts/build-sea.sh bundles it with esbuild and injects it
// into a copy of the node binary). The bundle holds the code; the files labgrade reads by path (the
// shipped exercises, the JSON Schemas, package.json) travel as SEA assets and are written once to a
// per-version cache folder, which then stands in for the package root. The netns relay (lab only)
// runs as `labgrade __netns-relay SOCKET` since there is no separate node to run it with.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getAsset, isSea } from 'node:sea';
import { setProjectRoot } from '../version.js';
import { main } from './main.js';

/** Every asset key: paths relative to the package root (written by build-sea.sh into the bundle). */
declare const LABGRADE_SEA_ASSETS: string[];

function extractAssets(): string {
  const keys = LABGRADE_SEA_ASSETS;
  const hash = createHash('sha256');
  for (const k of keys) hash.update(k).update(new Uint8Array(getAsset(k)));
  const id = hash.digest('hex').slice(0, 16);
  const base = process.env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : tmpdir());
  for (const parent of [join(base, 'labgrade'), join(tmpdir(), `labgrade-${process.getuid?.() ?? 'user'}`)]) {
    const dir = join(parent, `sea-${id}`);
    if (existsSync(join(dir, 'package.json'))) return dir;
    try {
      const tmp = `${dir}.tmp-${process.pid}`;
      for (const k of keys) {
        mkdirSync(dirname(join(tmp, k)), { recursive: true });
        writeFileSync(join(tmp, k), new Uint8Array(getAsset(k)));
      }
      try {
        renameSync(tmp, dir);
      } catch (err) {
        rmSync(tmp, { recursive: true, force: true });
        if (!existsSync(join(dir, 'package.json'))) throw err;
      }
      return dir;
    } catch {
      /* not writable: try the next place */
    }
  }
  throw new Error('labgrade: cannot write its bundled files to ~/.cache/labgrade or the temporary folder');
}

async function run(): Promise<void> {
  if (process.argv[2] === '__netns-relay') {
    process.argv.splice(2, 1);
    // @ts-expect-error: a plain .mjs script without types; bundled by esbuild.
    await import('../transports/netns-relay.mjs');
    return;
  }
  if (isSea()) setProjectRoot(extractAssets());
  await main(process.argv);
}

run().catch((err: unknown) => {
  process.stderr.write(`labgrade: internal error: ${err instanceof Error && err.stack ? err.stack : String(err)}\n`);
  process.exitCode = 2;
});
