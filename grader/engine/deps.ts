// What the engine needs from the other stages, injectable so unit tests run without a host.
import type { HostCheck, QuestionCheck } from '../../checks/types.js';
import type { AccessAttempt, CommandEvidence, CommandResult, Connection, PlannedScript, ExtraRequest, GuestFacts, GuestProber, HostSnapshot, LabFile, LabVm, NetworkInfo, OsFamily, ExerciseSpec } from '../types.js';

export interface OpenContext {
  spec: ExerciseSpec;
  lab: LabFile;
  snapshot: HostSnapshot;
  role: string;
  os: OsFamily;
  /** The network of the task being graded (its NIC there is the one to reach). */
  network: NetworkInfo | null;
  /** The prober's first script, for openGuest to run as its identity check (Linux surveys). */
  firstScript?: PlannedScript;
}

export interface OpenedConnection {
  conn: Connection;
  trail: AccessAttempt[];
  /** The result of `ctx.firstScript`, when openGuest ran it. */
  first?: CommandResult;
}

export interface EngineDeps {
  /** Reads the libvirt host (virsh). */
  inspect(lab: LabFile): Promise<HostSnapshot>;
  /**
   * Opens one connection into a guest, trying the lab file's access methods in order; `trail` is
   * every attempt, in order (a failure carries its trail as `tried` on the error).
   */
  openGuest(vm: LabVm, ctx: OpenContext): Promise<OpenedConnection>;
  proberFor(os: OsFamily): GuestProber;
  /** Extra facts some question checks need (sysctl values, NAT rules); unset = none can be measured. */
  extraFacts?(os: OsFamily, conn: Connection, requests: ExtraRequest[], ev: CommandEvidence[]): Promise<Pick<GuestFacts, 'sysctl' | 'nat'>>;
  hostChecks: HostCheck[];
  questionChecks: Record<string, QuestionCheck>;
  /** Removes every known secret from a string (grader/inputs/secrets.ts). */
  redact(text: string): string;
  now(): Date;
}
