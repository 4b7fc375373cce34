// Drives Debian's /usr/bin/chromium through playwright-core (no browser download): fresh profile,
// no network beyond loopback, no background traffic. Shared by the reports and batch tests.
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/** Runs fn with a fresh persistent context; the profile folder is removed afterwards. */
export async function withChromium<T>(fn: (ctx: BrowserContext) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'labgrade-chromium-'));
  await mkdir(ARTIFACTS, { recursive: true });
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 900 },
    offline: true,
  });
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
    await rm(profile, { recursive: true, force: true });
  }
}
