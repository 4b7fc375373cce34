// Run-wide resources (pooled SSH connections to libvirt hosts, ...) register how to close them
// here when first used; the CLI closes them once its command is done. Light on purpose: main.ts
// imports it for every command.
const hooks = new Set<() => Promise<void>>();

export function onRunEnd(close: () => Promise<void>): void {
  hooks.add(close);
}

/** Closes everything registered, never throwing (a close failure must not change the exit code). */
export async function runEnd(): Promise<void> {
  const all = [...hooks];
  hooks.clear();
  await Promise.all(all.map((h) => h().catch(() => undefined)));
}

// ------------------------------------------------------------------ child processes
// Every program labgrade starts for a run (virsh, its shells, local scripts, the namespace relay)
// is started in a process group of its own (spawn `detached`) and registered here. On exit, and at
// once on SIGINT/SIGTERM, every registered group is killed, so no child (nor a child of it, such
// as virsh's ssh) is left running with PPID 1; after a signal nothing new is started.

/** What is needed of a spawned child (node's ChildProcess). */
interface Child {
  pid?: number | undefined;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', cb: () => void): unknown;
}

const children = new Set<Child>();
let stopping = false;
let exitHooked = false;

/** True after a signal: callers start no new process. */
export function isStopping(): boolean {
  return stopping;
}

/** Registers a child started with `detached: true` (its pid is its process group's id). */
export function trackChild(child: Child): void {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', killChildren);
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
  // Started while a signal was being handled: it goes at once.
  if (stopping) killGroup(child);
}

function killGroup(child: Child): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** Kills every registered child's process group (synchronous: safe in an `exit` handler). */
export function killChildren(): void {
  for (const c of [...children]) killGroup(c);
  children.clear();
}

/** After a signal: nothing new starts, and every running child goes. */
export function stopAll(): void {
  stopping = true;
  killChildren();
}

/** For tests: back to a normal state after stopAll(). */
export function resumeForTests(): void {
  stopping = false;
}

/**
 * Default SIGINT/SIGTERM handling for every command: children killed, exit 130 / 143. A command
 * with its own handler (batch: it writes what is done first) calls stopAll() itself; this one then
 * steps aside.
 */
let signalsInstalled = false;
export function installSignalStop(): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.on(sig, () => {
      if (process.listenerCount(sig) > 1) return;
      stopAll();
      process.exit(code);
    });
  }
}
