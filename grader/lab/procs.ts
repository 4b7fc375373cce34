// Processes and namespaces by identity: pid files, /proc/PID/exe and /proc/PID/ns/net.
// Everything the lab stops is stopped by PID, never by name.
import { readFileSync } from 'node:fs';
import { readFile, readlink, readdir, stat } from 'node:fs/promises';
import { sleep } from './run.js';

export async function readPidFile(file: string): Promise<number | null> {
  try {
    const n = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isInteger(n) && n > 1 ? n : null;
  } catch {
    return null;
  }
}

/** The process exists and is not a zombie (a zombie has exited; only its parent has not reaped it). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** The executable of a process (`(deleted)` suffix removed), or null if gone. */
export async function exeOf(pid: number): Promise<string | null> {
  try {
    return (await readlink(`/proc/${pid}/exe`)).replace(/ \(deleted\)$/, '');
  } catch {
    return null;
  }
}

/** The network-namespace inode of a process, or null. */
export async function netnsOfPid(pid: number): Promise<number | null> {
  try {
    const m = /net:\[(\d+)\]/.exec(await readlink(`/proc/${pid}/ns/net`));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The inode of a named namespace (/run/netns/NAME), or null if it does not exist. */
export async function netnsInode(name: string): Promise<number | null> {
  try {
    return (await stat(`/run/netns/${name}`)).ino;
  } catch {
    return null;
  }
}

export async function rootNetnsInode(): Promise<number | null> {
  return netnsOfPid(1);
}

/** PIDs whose executable is `exe` (e.g. every running libvirtd, wherever it runs). */
export async function pidsByExe(exe: string): Promise<number[]> {
  const out: number[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    if ((await exeOf(pid)) === exe) out.push(pid);
  }
  return out;
}

/** PIDs of every process inside a network namespace (by inode). */
export async function pidsInNetns(inode: number): Promise<number[]> {
  const out: number[] = [];
  for (const e of await readdir('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    if ((await netnsOfPid(pid)) === inode) out.push(pid);
  }
  return out;
}

/** SIGTERM, wait up to graceMs, then SIGKILL. Returns when every pid is gone (or after ~2 s more). */
export async function stopPids(pids: number[], graceMs = 5000): Promise<void> {
  const live = pids.filter(alive);
  for (const p of live) {
    try {
      process.kill(p, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  const t0 = Date.now();
  while (live.some(alive) && Date.now() - t0 < graceMs) await sleep(50);
  for (const p of live.filter(alive)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  const t1 = Date.now();
  while (live.some(alive) && Date.now() - t1 < 2000) await sleep(50);
}
