// A transport error code as an access-trail reason (kept apart from open.ts so the engine can use it
// without loading the transports).
import type { AccessReason, TransportErrorCode } from '../types.js';

export const REASON_OF: Record<TransportErrorCode, AccessReason> = {
  unreachable: 'unreachable',
  refused: 'refused',
  timeout: 'timeout',
  auth: 'auth',
  'hostkey-unknown': 'host-key',
  'hostkey-changed': 'host-key',
  'agent-missing': 'agent-missing',
  'agent-not-connected': 'agent-not-connected',
  'domain-not-running': 'domain-not-running',
  protocol: 'protocol',
  config: 'config',
};
