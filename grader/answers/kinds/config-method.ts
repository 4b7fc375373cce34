// The config-method kind (how the machine got its address).
// static/dynamic: "manual", "estática", "fija", "por DHCP", "automática", "dinámica", "DHCP", and
// the "DHCP habilitado: sí/no" / "DHCP Enabled: Yes/No" line of a pasted `ipconfig /all`.
// A negated word counts as the other ("sin DHCP" is static); both at once is ambiguous.
import { msg } from '../../i18n/messages.js';
import { mapReading, notScalar, type AnswerKindModule } from '../kind.js';
import { FILLER, foldedWords, hostility, reportIgnored, tokenize, typoOf, type Reading } from '../../inputs/answers/text.js';

const DYNAMIC = ['dinamica', 'dinamico', 'dinamicas', 'dinamicos', 'dynamic', 'dynamically', 'dinamicamente', 'dhcp', 'automatica', 'automatico', 'automatic', 'automatically', 'automaticamente', 'auto', 'dhcpv4'];
const STATIC = ['estatica', 'estatico', 'estaticas', 'estaticos', 'static', 'statically', 'estaticamente', 'manual', 'manually', 'manualmente', 'fija', 'fijo', 'fijas', 'fixed', 'a mano'];
const NEGATIONS = new Set(['sin', 'no', 'not', 'without', 'ni']);
const YES = new Set(['si', 'yes', 'habilitado', 'enabled', 'activado']);
const NO = new Set(['no', 'deshabilitado', 'disabled', 'desactivado']);
const NEUTRAL = new Set(['ip', 'ipv4', 'direccion', 'address', 'configuracion', 'configuration', 'config', 'asignacion', 'asignada', 'asignado', 'assigned', 'obtenida', 'obtained', 'mano', 'hand', 'servidor', 'server', 'via', 'using', 'mediante', 'desde', 'from', 'se', 'asigna', 'asignan', 'hay', 'obtiene', 'gets', 'coge', 'recibe', 'receives']);

export function readMethod(input: string): Reading<'static' | 'dynamic'> {
  const hostile = hostility(input);
  if (hostile) return { ok: false, ...hostile };
  const toks = tokenize(input).filter((t) => t.type === 'word');
  const w = foldedWords(input).map((x) => (DYNAMIC.includes(x) || STATIC.includes(x) ? x : (typoOf(x, [...DYNAMIC, ...STATIC]) ?? x)));
  if (w.length === 0) return { ok: false, code: tokenize(input).length === 0 ? 'ansEmpty' : 'ansMethodUnknown', params: { value: input.trim() } };
  // A pasted `ipconfig /all`: "DHCP habilitado . . . : sí" / "DHCP Enabled . . . : No".
  const enabled = /dhcp\s+(?:habilitado|enabled)[\s.]*:\s*(\S+)/i.exec(input.normalize('NFD').replace(/\p{M}/gu, ''));
  if (enabled) {
    const v = enabled[1]!.toLowerCase();
    if (YES.has(v)) return { ok: true, value: 'dynamic', ignored: [], pasted: 'ipconfig' };
    if (NO.has(v)) return { ok: true, value: 'static', ignored: [], pasted: 'ipconfig' };
  }
  let dyn = false;
  let stat = false;
  const ignored: string[] = [];
  for (let i = 0; i < w.length; i++) {
    const x = w[i]!;
    // "sin DHCP", "no hay DHCP", "no hay servidor DHCP": a negation up to two words back.
    const between = new Set(['hay', 'tiene', 'usa', 'uses', 'has', 'servidor', 'server', 'un', 'a', 'el', 'de']);
    let negated = false;
    for (let j = i - 1; j >= 0 && j >= i - 3; j--) {
      if (NEGATIONS.has(w[j]!)) {
        negated = true;
        break;
      }
      if (!between.has(w[j]!)) break;
    }
    if (DYNAMIC.includes(x)) negated ? (stat = true) : (dyn = true);
    else if (STATIC.includes(x) || (x === 'mano' && w[i - 1] === 'a')) negated ? (dyn = true) : (stat = true);
    else if (!NEGATIONS.has(x) && !FILLER.has(x) && !NEUTRAL.has(x)) ignored.push(toks[i]?.text ?? x);
  }
  if (dyn && stat) return { ok: false, code: 'ansMethodAmbiguous', params: { value: input.trim() } };
  if (!dyn && !stat) return { ok: false, code: 'ansMethodUnknown', params: { value: input.trim() } };
  return { ok: true, value: dyn ? 'dynamic' : 'static', ignored: reportIgnored(ignored) };
}

// ------------------------------------------------------------------ the kind

export const configMethodKind: AnswerKindModule<'config-method'> = {
  kind: 'config-method',
  read(v) {
    if (typeof v === 'number') return { ok: false, code: 'ansMethodUnknown', params: { value: String(v) } };
    if (typeof v !== 'string') return notScalar(v);
    return mapReading(readMethod(v), (value) => ({ kind: 'config-method' as const, value }));
  },
  render: (v) => msg('grade', v.value),
  compare: (answer, observed) => ({ score: answer.value === observed.value ? 1 : 0, wrongFields: [] }),
  renderTheory: (th) => msg('grade', th.value),
  theoryHolds: (th, v) => th.value === v.value,
  saysTheoryAgrees: true,
};
