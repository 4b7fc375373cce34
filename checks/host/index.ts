// The host checks, in the order their verdicts are reported for a task.
import type { HostCheck } from '../types.js';
import { networkExists } from './network-exists.js';
import { networkType } from './network-type.js';
import { networkActive } from './network-active.js';
import { vmExists } from './vm-exists.js';
import { vmRunning } from './vm-running.js';
import { vmAttached } from './vm-attached.js';
import { vmNics } from './vm-nics.js';

export const hostChecks: HostCheck[] = [networkExists, networkType, networkActive, vmExists, vmRunning, vmAttached, vmNics];
