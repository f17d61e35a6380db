import { distance } from 'fastest-levenshtein';
import { normalizeText, stripPunctuation } from './text';
import { DEFAULT_VOCABULARY, type CommandWords, type Vocabulary } from './vocabulary';

/** A command for the compound, report and staff flows; a bare number picks from the list just shown. */
export type Command =
  | { kind: 'enter'; query: string | null }
  | { kind: 'myCode' }
  | { kind: 'placeCode'; code: string }
  | { kind: 'report'; text: string | null }
  | { kind: 'myReports' }
  /** available is null when '空位' came without a usable number. */
  | { kind: 'seats'; available: number | null }
  | { kind: 'pause'; note: string | null }
  | { kind: 'reopen' }
  | { kind: 'pending' }
  /** ref: a number of the list just shown, a request id, or null when missing. */
  | { kind: 'approve'; ref: number | string | null }
  | { kind: 'deny'; ref: number | string | null; reason: string | null }
  | { kind: 'verify'; code: string | null }
  /** A message that is nothing but a pass code: digits, perhaps grouped. */
  | { kind: 'passCode'; code: string }
  | { kind: 'changeGate' }
  | { kind: 'cancel' }
  | { kind: 'staffHelp' }
  | { kind: 'number'; n: number };

type Whole = 'myCode' | 'myReports' | 'full' | 'reopen' | 'pending' | 'changeGate' | 'cancel' | 'staffHelp';
type Prefixed = 'enter' | 'report' | 'seats' | 'pause' | 'approve' | 'deny' | 'verify';
const WHOLE: Whole[] = ['myCode', 'myReports', 'full', 'reopen', 'pending', 'changeGate', 'cancel', 'staffHelp'];
/** Whole-message commands whose typos are forgiven; '换小区' is one character from a rider's '找小区'. */
const FUZZY_WHOLE: Whole[] = ['myCode', 'myReports', 'pending', 'reopen'];
const PREFIXED: Prefixed[] = ['enter', 'report', 'seats', 'pause', 'approve', 'deny', 'verify'];
/** Typos are forgiven only in words this long: two-character words differ in one character from too much. */
const FUZZY_MIN = 3;

const PLACE_CODE = /^(?:nxg:|.*\/g\/)?([0-9a-z]{8})[\s-]+([0-9a-z]{1,8})$|^(?:nxg:|.*\/g\/)([0-9a-z]{8})-?([0-9a-z]{1,8})$/;
const PASS_CODE = /^[1-9][\d\s-]*$/;
const REF = /^(\d{1,3}|[0-9a-f]{24})\s*号?(?:\s+|$)(.*)$/;
const SEATS_TRAILING = /^(?:还?剩|有)?\s*(\d{1,4})\s*个?\s*(?:空位|空座|座位)$/;

const squeezed = (text: string) => stripPunctuation(text).replace(/\s+/g, '');
const similar = (a: string, b: string) => a === b || (b.length >= FUZZY_MIN && a.length >= FUZZY_MIN && distance(a, b) <= 1);

function wholeCommand(t: string, words: CommandWords): Whole | undefined {
  const s = squeezed(t);
  return WHOLE.find((k) => words[k].some((w) => s === squeezed(normalizeText(w))))
    ?? FUZZY_WHOLE.find((k) => words[k].some((w) => similar(s, squeezed(normalizeText(w)))));
}

/** The command word the text starts with (longest first; one typo allowed in long words) and what follows it. */
function prefixCommand(t: string, words: CommandWords): { kind: Prefixed; rest: string } | undefined {
  const table = PREFIXED.flatMap((k) => words[k].map((w) => ({ k, w: normalizeText(w) }))).sort((a, b) => b.w.length - a.w.length);
  const hit = table.find(({ w }) => t.startsWith(w)) ?? table.find(({ w }) => w.length >= FUZZY_MIN && similar(t.slice(0, w.length), w));
  if (!hit) return undefined;
  return { kind: hit.k, rest: t.slice(hit.w.length).replace(/^[\s:：,，]+/, '').trim() };
}

/** The digits of a pass code typed with spaces or dashes, or null unless there are 8 to 14 of them. */
export function passCodeDigits(text: string): string | null {
  if (!PASS_CODE.test(text)) return null;
  const digits = text.replace(/[\s-]/g, '');
  return digits.length >= 8 && digits.length <= 14 ? digits : null;
}

function refOf(rest: string): { ref: number | string; tail: string } | null {
  const m = REF.exec(rest);
  if (!m) return null;
  const raw = m[1] as string;
  return { ref: raw.length === 24 ? raw : Number(raw), tail: (m[2] ?? '').trim() };
}

function prefixed(kind: Prefixed, rest: string): Command | undefined {
  switch (kind) {
    case 'enter': return { kind, query: squeezed(rest) ? rest : null };
    case 'report': return { kind, text: rest || null };
    case 'pause': return { kind, note: rest || null };
    case 'verify': return { kind, code: rest || null };
    case 'seats': {
      if (!rest) return { kind, available: null };
      const m = /^(\d{1,4})\s*(?:个|位|座)?$/.exec(rest);
      // '空位 解放碑' is a rider's search for free seats at a place, not a staff command.
      return m ? { kind, available: Number(m[1]) } : undefined;
    }
    case 'approve':
    case 'deny': {
      if (!rest) return kind === 'approve' ? { kind, ref: null } : { kind, ref: null, reason: null };
      const r = refOf(rest);
      if (!r) return undefined;
      return kind === 'approve' ? { kind, ref: r.ref } : { kind, ref: r.ref, reason: r.tail || null };
    }
  }
}

/** Reads a command for the compound, report or staff flows; undefined when the text is none (a search, say). Pure. */
export function parseCommand(text: string, vocabulary: Vocabulary = DEFAULT_VOCABULARY): Command | undefined {
  const t = normalizeText(text);
  if (!t) return undefined;
  const number = /^第?\s*(\d{1,2})\s*(?:个|号|项)?$/.exec(t);
  if (number) return { kind: 'number', n: Number(number[1]) };
  const digits = passCodeDigits(t);
  if (digits) return { kind: 'passCode', code: digits };
  const place = PLACE_CODE.exec(t);
  if (place) return { kind: 'placeCode', code: `${place[1] ?? place[3]}-${place[2] ?? place[4]}`.toUpperCase() };
  const seats = SEATS_TRAILING.exec(t);
  if (seats) return { kind: 'seats', available: Number(seats[1]) };
  const whole = wholeCommand(t, vocabulary.commands);
  if (whole === 'full') return { kind: 'seats', available: 0 };
  if (whole) return { kind: whole };
  const p = prefixCommand(t, vocabulary.commands);
  return p ? prefixed(p.kind, p.rest) : undefined;
}

/** True when the whole message is one of the words (after normalising; one typo allowed in long words). */
export function isOneOf(text: string, words: string[]): boolean {
  const s = squeezed(normalizeText(text));
  return words.some((w) => similar(s, squeezed(normalizeText(w))));
}
