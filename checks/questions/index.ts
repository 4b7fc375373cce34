// The question checks by name (the spec's `questions.<id>.check`). Each derives the observed
// answer of one question for one VM from the measured facts; the engine grades.
import type { QuestionCheck } from '../types.js';
import { configMethod } from './config-method.js';
import { ipv4Config } from './ipv4-config.js';
import { outsideReach } from './outside-reach.js';
import { dnsResolution } from './dns-resolution.js';
import { dnsServer } from './dns-server.js';
import { peerReach } from './peer-reach.js';
import { hostReach } from './host-reach.js';
import { defaultGateway } from './default-gateway.js';
import { sysctl } from './sysctl.js';
import { natMasquerade } from './nat-masquerade.js';
import { reachVia } from './reach-via.js';

export const questionCheckList: QuestionCheck[] = [configMethod, ipv4Config, outsideReach, dnsResolution, dnsServer, peerReach, hostReach, defaultGateway, sysctl, natMasquerade, reachVia];

export const questionChecks: Record<string, QuestionCheck> = Object.fromEntries(questionCheckList.map((c) => [c.name, c]));
