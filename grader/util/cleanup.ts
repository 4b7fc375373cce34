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
