// The one place where reachability evidence becomes a ReachStatus, for every OS:
//   replied       the echo came back;
//   no-route      the guest has no route to the target (network unreachable);
//   probe-timeout the probe itself did not finish within its bound;
//   filtered      no reply, but the target is on-link and its neighbour (ARP) entry resolved:
//                 something drops the echo (e.g. Windows Defender Firewall);
//   no-reply      no reply from a target behind a gateway whose neighbour entry resolved;
//   no-neighbour  the on-link target (or the gateway) never answered ARP: no link/path;
//   error         the probe could not run (e.g. a name that does not resolve).
import type { ReachStatus } from '../types.js';

export type NeighbourState = 'resolved' | 'unresolved' | 'absent';

export interface ReachEvidence {
  replied: boolean;
  /** The probe was cut by its own bound. */
  timedOut: boolean;
  /** Route lookup failed (network unreachable); null = not known. */
  noRoute: boolean | null;
  /** Next hop when the target is behind a gateway, null when on-link or unknown. */
  gateway: string | null;
  /** Neighbour state of the next hop (the target itself when on-link). */
  neighbour: NeighbourState;
  /** The target (a name) could not be turned into an address. */
  unresolvedName?: boolean;
  /** The neighbour state as the guest printed it (for the detail). */
  rawNeighbour?: string | null;
}

/** A classified probe: a status, or the probe that could not tell (`error`) or did not finish (`probe-timeout`). */
export type Classified = { status: ReachStatus | 'probe-timeout' | 'error'; detail?: string };

export function classifyReach(e: ReachEvidence): Classified {
  if (e.replied) return { status: 'replied' };
  if (e.unresolvedName) return { status: 'error', detail: 'name-not-resolved' };
  if (e.noRoute) return { status: 'no-route' };
  if (e.timedOut) return { status: 'probe-timeout' };
  if (e.gateway) {
    if (e.neighbour === 'resolved') return { status: 'no-reply', detail: `via ${e.gateway}` };
    return { status: 'no-neighbour', detail: `gateway ${e.gateway}${e.rawNeighbour ? ` ${e.rawNeighbour}` : ''}` };
  }
  if (e.neighbour === 'resolved') return { status: 'filtered', detail: `neighbour ${e.rawNeighbour ?? 'resolved'}` };
  return e.rawNeighbour ? { status: 'no-neighbour', detail: `neighbour ${e.rawNeighbour}` } : { status: 'no-neighbour' };
}

/** Linux `ip neigh` NUD states and Windows Get-NetNeighbor states, in one vocabulary. */
export function neighbourState(raw: string | string[] | null | undefined): NeighbourState {
  const one = Array.isArray(raw) ? raw[0] : raw;
  if (!one) return 'absent';
  const s = one.toUpperCase();
  if (['REACHABLE', 'STALE', 'DELAY', 'PROBE', 'PERMANENT', 'NOARP'].includes(s)) return 'resolved';
  return 'unresolved'; // INCOMPLETE, FAILED, UNREACHABLE, NONE
}
