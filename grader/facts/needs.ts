// What a question check may ask to be measured beyond the configuration and the probes
// (FactRequest in grader/types.ts), and what such a request may name. Checks declare their needs
// with these; the per-OS collectors (grader/probes/) measure them. Neither imports the other.

/** A sysctl key as a spec may name it: `net.ipv4.ip_forward`, `net.ipv4.conf.eth0.forwarding`. */
export const SYSCTL_KEY = /^[a-z0-9_]+(\.[A-Za-z0-9_-]+)+$/;
/** An absolute file path a spec may name for saved rules (teacher-owned input, still constrained). */
export const SAVED_FILE = /^\/[A-Za-z0-9_./-]+$/;
