import type es from '../es/cli.js';

export default {
  internalError: 'labgrade: internal error: {message} (LABGRADE_DEBUG=1 shows the stack)',
  transportFailed: 'labgrade: could not connect to {target}: {message}',
} satisfies Record<keyof typeof es, string>;
