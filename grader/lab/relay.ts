// The lab's standing netns relay: one relay process inside the lab namespace for as long as the lab
// is up (like its dnsmasq), so a grading run connects to guests without starting a Node process of
// its own (grader/transports/stream.ts looks for it at standingRelayPath). Root-only: the socket
// lives in a 0700 folder of /run/labgrade. Adopted when already running with the same command;
// stopped by lab down with everything else in the namespace.
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { LAB_NETNS } from './constants.js';
import { alive, netnsInode, netnsOfPid, readPidFile, stopPids } from './procs.js';
import { relayArgs, relayReady, STANDING_RELAY_DIR, standingRelayPath } from '../transports/stream.js';

const PID_FILE = `${STANDING_RELAY_DIR}/${LAB_NETNS}.pid`;

/** Starts (or adopts) the standing relay of the lab namespace; returns its pid. */
export async function ensureStandingRelay(): Promise<number> {
  const socketPath = standingRelayPath(LAB_NETNS);
  const argv = ['netns', 'exec', LAB_NETNS, process.execPath, ...relayArgs(), '--standing', socketPath];
  const argsFile = `${PID_FILE}.args`;
  const pid = await readPidFile(PID_FILE);
  if (pid && alive(pid) && (await netnsOfPid(pid)) === (await netnsInode(LAB_NETNS))) {
    if ((await readFile(argsFile, 'utf8').catch(() => '')) === JSON.stringify(argv)) return pid;
    await stopPids([pid]);
  }
  await mkdir(STANDING_RELAY_DIR, { recursive: true, mode: 0o700 });
  await chmod(STANDING_RELAY_DIR, 0o700);
  await rm(socketPath, { force: true });
  const child = spawn('ip', argv, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await relayReady(child, 10_000);
  } catch (e) {
    throw new Error(`the lab's netns relay did not start: ${(e as Error).message}`);
  }
  // It runs on by itself: drop our ends of its pipes and never wait for it.
  child.stdout!.destroy();
  child.stderr!.destroy();
  child.unref();
  const started = child.pid!;
  await writeFile(PID_FILE, `${started}\n`);
  await writeFile(argsFile, JSON.stringify(argv));
  return started;
}

/** Stops the standing relay (lab down stops it with the namespace anyway; this is for its files). */
export async function stopStandingRelay(): Promise<void> {
  const pid = await readPidFile(PID_FILE);
  if (pid && alive(pid)) await stopPids([pid]);
  await rm(STANDING_RELAY_DIR, { recursive: true, force: true });
}
