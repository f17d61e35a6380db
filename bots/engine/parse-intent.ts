import type { Amenity, MerchantCategory } from '../api-contract';
import { matchBind, matchWhoAmI } from './parse-staff';
import { extractRadius, normalizeText, stripPunctuation } from './text';
import type { BotInput, Intent, Where } from './types';
import { DEFAULT_VOCABULARY, type Vocabulary } from './vocabulary';

export const MAX_RADIUS_M = 20_000;
const MIN_RADIUS_M = 100;
const MAX_GUESSED_PLACE = 12;
const PLACE_LIKE = /^[\p{Script=Han}a-z0-9]+$/u;

type Effect =
  | { kind: 'station' } | { kind: 'merchant'; category: MerchantCategory | null } | { kind: 'amenity'; amenity: Amenity }
  | { kind: 'seats' } | { kind: 'openNow' } | { kind: 'filler' };

interface Matched {
  station: boolean;
  merchant: boolean;
  category?: MerchantCategory;
  amenities: Amenity[];
  hasSeats: boolean;
  openNow: boolean;
  rest: string;
}

const tables = new WeakMap<Vocabulary, Array<[string, Effect]>>();

function phraseTable(v: Vocabulary): Array<[string, Effect]> {
  const cached = tables.get(v);
  if (cached) return cached;
  const rows: Array<[string, Effect]> = [
    ...v.stationWords.map((w): [string, Effect] => [w, { kind: 'station' }]),
    ...Object.entries(v.merchantWords).map(([w, category]): [string, Effect] => [w, { kind: 'merchant', category }]),
    ...Object.entries(v.amenityWords).map(([w, amenity]): [string, Effect] => [w, { kind: 'amenity', amenity }]),
    ...v.seatWords.map((w): [string, Effect] => [w, { kind: 'seats' }]),
    ...v.openNowWords.map((w): [string, Effect] => [w, { kind: 'openNow' }]),
    ...[...v.fillers, ...v.smallTalk].map((w): [string, Effect] => [w, { kind: 'filler' }]),
  ];
  // Longest first, so that '电动车充电' is consumed before '充电' and '热饭' before '饭'.
  const table = rows.map(([w, e]): [string, Effect] => [normalizeText(w), e]).sort((a, b) => b[0].length - a[0].length);
  tables.set(v, table);
  return table;
}

/** Consumes every known phrase from the text; what is left over is the place name. */
export function matchPhrases(text: string, vocabulary: Vocabulary = DEFAULT_VOCABULARY): Matched {
  const m: Matched = { station: false, merchant: false, amenities: [], hasSeats: false, openNow: false, rest: text };
  for (const [phrase, effect] of phraseTable(vocabulary)) {
    if (!m.rest.includes(phrase)) continue;
    m.rest = m.rest.split(phrase).join(' ');
    if (effect.kind === 'station') m.station = true;
    else if (effect.kind === 'merchant') {
      m.merchant = true;
      m.category ??= effect.category ?? undefined;
    } else if (effect.kind === 'amenity' && !m.amenities.includes(effect.amenity)) m.amenities.push(effect.amenity);
    else if (effect.kind === 'seats') m.hasSeats = true;
    else if (effect.kind === 'openNow') m.openNow = true;
  }
  m.rest = m.rest.replace(/\s+/g, '');
  return m;
}

/** True when the whole message asks for help. */
export function matchHelp(text: string, vocabulary: Vocabulary = DEFAULT_VOCABULARY): boolean {
  const t = normalizeText(text);
  return vocabulary.help.some((w) => normalizeText(w) === t);
}

/** Turns one message into what the rider wants; pure, knows nothing of state or the API. */
export function parseIntent(input: BotInput, vocabulary: Vocabulary = DEFAULT_VOCABULARY): Intent {
  // Pictures belong to the report flow (conversation.ts); here they are as unreadable as voice.
  if (input.kind === 'unsupported' || input.kind === 'image') return { kind: 'unsupported' };
  if (input.kind === 'location') {
    const where: Where = { kind: 'point', lng: input.lng, lat: input.lat, ...(input.name ? { name: input.name } : {}) };
    return { kind: 'search', target: 'stations', where, amenities: [], hasSeats: false, openNow: false, guessed: false };
  }
  if (matchHelp(input.text, vocabulary)) return { kind: 'help' };
  if (matchWhoAmI(input.text, vocabulary)) return { kind: 'whoami' };
  const bind = matchBind(input.text, vocabulary);
  if (bind) return { kind: 'bind', code: bind.code };
  const { radiusM, rest } = extractRadius(normalizeText(input.text));
  if (radiusM !== undefined && radiusM > MAX_RADIUS_M) return { kind: 'radius_too_large', maxRadiusM: MAX_RADIUS_M };
  const m = matchPhrases(stripPunctuation(rest), vocabulary);
  const keyword = m.merchant || m.station || m.amenities.length > 0 || m.hasSeats || m.openNow;
  const guessed = !keyword && radiusM === undefined;
  const placeLike = m.rest.length >= 2 && m.rest.length <= MAX_GUESSED_PLACE && PLACE_LIKE.test(m.rest);
  if (guessed && !placeLike) return { kind: 'hint' };

  const where: Where = m.rest ? { kind: 'place', name: m.rest } : { kind: 'remembered' };
  const radius = radiusM === undefined ? {} : { radiusM: Math.max(radiusM, MIN_RADIUS_M) };
  if (m.merchant) {
    return { kind: 'search', target: 'merchants', where, ...radius, openNow: m.openNow, guessed, ...(m.category ? { category: m.category } : {}) };
  }
  return { kind: 'search', target: 'stations', where, ...radius, amenities: m.amenities, hasSeats: m.hasSeats, openNow: m.openNow, guessed };
}
