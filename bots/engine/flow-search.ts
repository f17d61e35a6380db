import type { Center, StationsResult } from '../api-contract';
import { cityAt } from '../../src/shared/service-area';
import { call, fresh, replyStep, type Ctx } from './flow';
import { COVERAGE_TEXT, formatError } from './format-error';
import { formatMerchants } from './format-merchants';
import { formatStations, stationsShown } from './format-stations';
import { needsWeeklyHours } from './hours';
import { askWhereText } from './messages';
import type { ConversationState, MerchantSearch, Remembered, ResolvedSearch, SearchIntent, StationSearch, Step } from './types';

/** How many stations are asked for per one shown, so that closed ones do not crowd out open ones further away. */
const FETCH_FACTOR = 3;
const MAX_FETCH = 50;

/** Why a GCJ-02 point cannot be searched, in a rider's words; null when it lies in one of the cities. */
export function pointProblem(p: { lng: number; lat: number }): string | null {
  // The service areas are WGS-84 boxes padded by about 5 km, wider than GCJ-02's offset of a few hundred metres.
  if (cityAt(p)) return null;
  if (cityAt({ lng: p.lat, lat: p.lng })) return '这个位置的经度和纬度好像写反了，请重新发送位置（「+」→「位置」）。';
  return `你发送的位置不在服务范围内：${COVERAGE_TEXT}。`;
}

/** The remembered search centre, unless it is older than memoryMs. */
export function recall(state: ConversationState, now: Date, memoryMs: number): Remembered | undefined {
  const r = state.remembered;
  return r && fresh(r.at, now, memoryMs) ? r : undefined;
}

function filtersOf(intent: SearchIntent): StationSearch | MerchantSearch {
  return intent.target === 'stations'
    ? { target: intent.target, amenities: intent.amenities, hasSeats: intent.hasSeats, openNow: intent.openNow }
    : { target: intent.target, openNow: intent.openNow, ...(intent.category ? { category: intent.category } : {}) };
}

function stationsAnswer(result: StationsResult, search: ResolvedSearch & StationSearch, state: ConversationState, ctx: Ctx): Step {
  const later = stationsShown(result.data, search.limit).filter((s) => s.status === 'open' && needsWeeklyHours(s, ctx.now));
  if (later.length === 0) return replyStep(state, formatStations(result, search, ctx.now));
  // Closed now with no more hours today: the weekly hours (in the detail) say when it opens next.
  return call(state, { op: 'stationsById', ids: later.map((s) => s.id) }, (o) => {
    const details = o.ok ? o.data : [];
    const data = result.data.map((s) => ({ ...s, hours: details.find((d) => d.id === s.id)?.hours ?? s.hours }));
    return replyStep(state, formatStations({ ...result, data }, search, ctx.now));
  });
}

function runSearch(search: ResolvedSearch, state: ConversationState, remembered: Remembered | null, ctx: Ctx): Step {
  const base = { center: search.center, openNow: search.openNow, ...(search.radiusM !== undefined ? { radiusM: search.radiusM } : {}) };
  // Only a search that worked is remembered, so a mistyped place is not searched again by a bare '商户'.
  const after = remembered ? { ...state, remembered } : state;
  if (search.target === 'stations') {
    const query = { ...base, limit: Math.min(search.limit * FETCH_FACTOR, MAX_FETCH), amenities: search.amenities, hasSeats: search.hasSeats };
    return call(state, { op: 'stations', query }, (o) =>
      (o.ok ? stationsAnswer(o.data, search, after, ctx) : replyStep(state, formatError(o.error, search))));
  }
  const query = { ...base, limit: search.limit, ...(search.category ? { category: search.category } : {}) };
  return call(state, { op: 'merchants', query }, (o) =>
    (o.ok ? replyStep(after, formatMerchants(o.data, search, ctx.now)) : replyStep(state, formatError(o.error, search))));
}

/** A search for stations or merchants: at a shared point, a named place, or where the rider was a moment ago. */
export function searchStep(intent: SearchIntent, state: ConversationState, ctx: Ctx): Step {
  let center: Center;
  let label: string | null;
  let remembered: Remembered | null = null;
  if (intent.where.kind === 'remembered') {
    const r = recall(state, ctx.now, ctx.o.memoryMs);
    if (!r) return replyStep(state, askWhereText(intent.target));
    ({ center, label } = r);
  } else {
    if (intent.where.kind === 'point') {
      const problem = pointProblem(intent.where);
      if (problem) return replyStep(state, problem);
    }
    center = intent.where.kind === 'point' ? { lng: intent.where.lng, lat: intent.where.lat } : { place: intent.where.name };
    label = intent.where.kind === 'place' ? intent.where.name : null;
    remembered = { center, label, at: ctx.now.getTime() };
  }
  const search: ResolvedSearch = {
    ...filtersOf(intent), center, label, limit: ctx.o.limit, guessed: intent.guessed,
    ...(intent.radiusM !== undefined ? { radiusM: intent.radiusM } : {}),
  };
  return runSearch(search, state, remembered, ctx);
}
