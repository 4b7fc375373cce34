// The yes-no kind (connectivity, resolution, forwarding...: a yes or a no).
// yes/no as students write it: "sí, hay conectividad", "si", "no hay ping", "funciona",
// "no responde", "correcto", "ok", "yes it works", "no (timeout)". Each word that says yes or no
// is a signal; a negation flips the next "it works" word ("no responde", "sin conectividad");
// "no hay problema" is a yes. Signals both ways make the answer ambiguous: unreadable, never a guess.
// An answer that says the student does not know ("no lo sé", "ni idea") never reaches this reader:
// readAnswer (index.ts) makes it unsure first (vocabulary.ts).
import { FILLER, foldedWords, hostility, reportIgnored, tokenize, typoOf, type Reading } from '../../inputs/answers/text.js';
import { NO_WORDS, YES_WORDS } from '../../inputs/answers/vocabulary.js';
import { msg } from '../../i18n/messages.js';
import { mapReading, notScalar, type AnswerKindModule } from '../kind.js';

const YES = YES_WORDS;
const NO = NO_WORDS;
/** "It works" words: yes, unless negated. */
const WORKS = [
  'funciona', 'funcionan', 'funciono', 'work', 'works', 'worked', 'working', 'responde', 'responden', 'respondio', 'respond', 'responds',
  'reply', 'replies', 'replied', 'answers', 'conecta', 'conectan', 'conectividad', 'connectivity', 'connect', 'connects', 'connected',
  'conectado', 'conectada', 'conectadas', 'conectados', 'llega', 'llegan', 'alcanza', 'alcanzan', 'alcanzable', 'reachable', 'reach', 'reaches',
  'resuelve', 'resuelven', 'resolves', 'resolve', 'resolved', 'resuelto', 'contesta', 'contestan', 'accede', 'acceden', 'acceso', 'access',
  'navega', 'respuesta', 'respuestas', 'success', 'successful', 'exito', 'bien', 'fine', 'good', 'sale', 'salen',
];
/** Neutral words that only say something when negated ("no hay ping") or asserted ("hay ping"). */
const HAVE = ['hay', 'tiene', 'tienen', 'has', 'have'];
/** "It fails" words: no by themselves. */
const FAILS = ['timeout', 'timed', 'falla', 'fallan', 'fails', 'fail', 'failed', 'inalcanzable', 'unreachable', 'inaccesible', 'agotado', 'caducado', 'perdidos', 'nada', 'nothing', 'nunca', 'never'];
/** Negations that flip the next "it works" word. */
const NEGATE = ['no', 'sin', 'not', 'without', 'cannot', "can't", 'can’t', 'cant', 'ni', "doesn't", 'doesn’t', 'doesnt', "don't", 'don’t', 'dont', "isn't", 'isn’t', "won't", 'won’t'];
/** Trouble words: a no, but a yes when negated ("no hay problema", "sin errores"). */
const TROUBLE = ['problema', 'problemas', 'problem', 'problems', 'error', 'errores', 'errors', 'fallo', 'fallos', 'perdida', 'perdidas', 'loss', 'issue', 'issues'];
const NEUTRAL = new Set([
  'ping', 'pings', 'hace', 'hacen', 'hacer', 'do', 'does', 'did', 'host', 'maquina', 'maquinas', 'otra', 'otras', 'other', 'entre', 'between', 'desde', 'from', 'hacia',
  'towards', 'paquetes', 'packets', 'dns', 'nombre', 'nombres', 'name', 'names', 'ip', 'peticion', 'request', 'tiempo', 'espera', 'time', 'out', 'se', 'ha', 'both', 'ambas',
  'dos', 'two', 'vms', 'afuera', 'exterior', 'outside', 'fuera', 'web', 'www', 'internet', 'puede', 'pueden', 'can', 'could', 'ver', 'see', 'se', 'ven', 'bytes', 'gateway',
  'puerta', 'enlace', 'router', 'google', 'debian', 'org', 'com', 'todo', 'todas', 'all', 'everything', 'perfectamente', 'perfectly', 'sin', 'problema', 'lo', 'le', 'les', 'destination', 'destino', 'host', 'reply', 'icmp', 'packet', 'received', 'recibidos', 'transmitted', 'transmitidos',
]);
const ALL = [...YES, ...NO, ...WORKS, ...HAVE, ...FAILS, ...TROUBLE];

export function readYesNo(input: string | boolean): Reading<boolean> {
  if (typeof input === 'boolean') return { ok: true, value: input, ignored: [] };
  const hostile = hostility(input);
  if (hostile) return { ok: false, ...hostile };
  // ping's summary: "0% packet loss" is a yes, "100% packet loss" a no.
  input = input.replace(/(?<![\d.])0(?:[.,]0+)?\s*%\s*(?:de\s+)?(?:packet\s+|paquetes\s+)?(?:loss|p[eé]rdidas?|perdidos)/giu, ' sin pérdida ');
  const toks = tokenize(input).filter((t) => t.type === 'word');
  if (tokenize(input).length === 0) return { ok: false, code: 'ansEmpty' };
  const words = foldedWords(input).map((w) => (ALL.includes(w) || NEGATE.includes(w) ? w : (typoOf(w, [...WORKS, ...FAILS, ...TROUBLE, 'correcto', 'afirmativo', 'negativo']) ?? w)));
  const signals: boolean[] = [];
  const ignored: string[] = [];
  let negated = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1] ?? '';
    if (w === 'no' && !NEGATE.includes(next) && !WORKS.includes(next) && !HAVE.includes(next) && !TROUBLE.includes(next)) {
      // "no" on its own (or before a neutral word): the answer no.
      signals.push(false);
      negated = false;
      continue;
    }
    if (NEGATE.includes(w)) {
      negated = true;
      continue;
    }
    if (YES.includes(w)) signals.push(!negated);
    else if (NO.includes(w)) signals.push(negated);
    else if (WORKS.includes(w)) signals.push(!negated);
    else if (FAILS.includes(w)) signals.push(false);
    else if (TROUBLE.includes(w)) signals.push(negated);
    else if (HAVE.includes(w)) {
      // "no hay ping" is a no; "no hay problema" a yes (the trouble word decides); "hay ping" a yes.
      if (TROUBLE.includes(next)) continue;
      signals.push(!negated);
      if (negated) {
        // The word after "no hay" is what is missing: part of the same no.
        if (WORKS.includes(next) || NEUTRAL.has(next)) i++;
      }
    } else {
      if (!FILLER.has(w) && !NEUTRAL.has(w)) ignored.push(toks[i]?.text ?? w);
      continue;
    }
    negated = false;
  }
  if (negated && signals.length === 0) signals.push(false); // "not at all", "sin", a lone negation
  const yes = signals.includes(true);
  const no = signals.includes(false);
  if (yes && no) return { ok: false, code: 'ansYesNoAmbiguous', params: { value: input.trim() } };
  if (!yes && !no) return { ok: false, code: 'ansYesNoUnknown', params: { value: input.trim() } };
  return { ok: true, value: yes, ignored: reportIgnored(ignored) };
}

// ------------------------------------------------------------------ the kind

export const yesNoKind: AnswerKindModule<'yes-no'> = {
  kind: 'yes-no',
  read(v) {
    if (typeof v === 'boolean') return { ok: true, value: { kind: 'yes-no', value: v }, ignored: [] };
    if (typeof v === 'number') return { ok: false, code: 'ansYesNoUnknown', params: { value: String(v) } };
    if (typeof v !== 'string') return notScalar(v);
    return mapReading(readYesNo(v), (value) => ({ kind: 'yes-no' as const, value }));
  },
  render: (v) => msg('grade', v.value ? 'yes' : 'no'),
  compare: (answer, observed) => ({ score: answer.value === observed.value ? 1 : 0, wrongFields: [] }),
  renderTheory: (th) => msg('grade', th.value ? 'yes' : 'no'),
  theoryHolds: (th, v) => th.value === v.value,
  saysTheoryAgrees: true,
  mistakes(answer, ctx) {
    // A ping without reply whose neighbour resolved: the link works, a firewall drops ICMP.
    if (ctx.codes.has('firewall-filtered') && !answer.value) return { codes: ['answered-no-but-link-works'], words: [msg('grade', 'msgFilteredAnsweredNo')] };
    return { codes: [], words: [] };
  },
};
