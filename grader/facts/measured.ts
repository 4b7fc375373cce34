// Reading measured facts (Measured<T>, grader/types.ts): a value is there only after `ok` was
// checked, so a failed measurement cannot be read as an empty list or a "no". These helpers name
// the failed side for the checks' codes and words; none of them hands out a value without `ok`.
import type { MeasurementError, Reachability } from '../types.js';

/** How a ping that could not be measured is named in codes and words: cut off by its bound, or not made. */
export function reachFailure(error: MeasurementError): 'probe-timeout' | 'error' {
  return error.cause === 'cut-off' ? 'probe-timeout' : 'error';
}

/** The order in which results for several addresses of one target are preferred (best first). */
const REACH_ORDER = ['replied', 'filtered', 'no-reply', 'no-neighbour', 'no-route', 'probe-timeout', 'error'];

/** The best of the results for several addresses of one target (a peer with two addresses). */
export function bestReach(results: Reachability[]): Reachability | null {
  const rank = (r: Reachability): number => REACH_ORDER.indexOf(r.ok ? r.value.status : reachFailure(r.error));
  return [...results].sort((a, b) => rank(a) - rank(b))[0] ?? null;
}
