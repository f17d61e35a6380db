import type { Center } from '../api-contract';
import { bindInRoomText, bindUsageText } from './format-staff';
import { askWhereText, helpText, hintText, radiusTooLargeText, unsupportedText } from './messages';
import { parseIntent } from './parse-intent';
import type { Action, BotInput, ChatKind, ConversationState, Remembered, ResolvedSearch, SearchIntent } from './types';
import { DEFAULT_VOCABULARY, type Vocabulary } from './vocabulary';

export const MEMORY_MS = 10 * 60_000;

export interface EngineOptions {
  vocabulary: Vocabulary;
  /** How many results a reply lists. */
  limit: number;
  /** How long a location stays usable for follow-up texts. */
  memoryMs: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = { vocabulary: DEFAULT_VOCABULARY, limit: 5, memoryMs: MEMORY_MS };

export interface Step {
  action: Action;
  state: ConversationState;
}

/** The remembered search centre, unless it is older than memoryMs. */
export function recall(state: ConversationState, now: Date, memoryMs = MEMORY_MS): Remembered | undefined {
  const r = state.remembered;
  return r && now.getTime() - r.at < memoryMs ? r : undefined;
}

function filtersOf(intent: SearchIntent) {
  return intent.target === 'stations'
    ? { target: intent.target, amenities: intent.amenities, hasSeats: intent.hasSeats, openNow: intent.openNow }
    : { target: intent.target, openNow: intent.openNow, ...(intent.category ? { category: intent.category } : {}) };
}

function searchStep(intent: SearchIntent, state: ConversationState, now: Date, o: EngineOptions): Step {
  let center: Center;
  let label: string | null;
  let next = state;
  if (intent.where.kind === 'remembered') {
    const r = recall(state, now, o.memoryMs);
    if (!r) return { action: { kind: 'reply', text: askWhereText(intent.target) }, state };
    ({ center, label } = r);
  } else {
    center = intent.where.kind === 'point' ? { lng: intent.where.lng, lat: intent.where.lat } : { place: intent.where.name };
    label = intent.where.kind === 'place' ? intent.where.name : null;
    next = { ...state, remembered: { center, label, at: now.getTime() } };
  }
  const search: ResolvedSearch = {
    ...filtersOf(intent), center, label, limit: o.limit, guessed: intent.guessed,
    ...(intent.radiusM !== undefined ? { radiusM: intent.radiusM } : {}),
  };
  return { action: { kind: 'search', search }, state: next };
}

/** A bind code is a password for ten minutes: never sent to the API from a room, where everyone has read it. */
function bindAction(code: string | null, chat: ChatKind): Action {
  if (chat === 'room') return { kind: 'reply', text: bindInRoomText() };
  return code === null ? { kind: 'reply', text: bindUsageText() } : { kind: 'bind', code };
}

/** One turn: a message, the chat it came in and the state before it give an action and the state after it. Pure. */
export function step(
  input: BotInput, state: ConversationState, now: Date, options: Partial<EngineOptions> = {}, chat: ChatKind = 'private',
): Step {
  const o = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  const intent = parseIntent(input, o.vocabulary);
  const reply = (text: string): Step => ({ action: { kind: 'reply', text }, state });
  switch (intent.kind) {
    case 'help': return reply(helpText());
    case 'hint': return reply(hintText());
    case 'unsupported': return reply(unsupportedText());
    case 'radius_too_large': return reply(radiusTooLargeText(intent.maxRadiusM));
    case 'search': return searchStep(intent, state, now, o);
    case 'bind': return { action: bindAction(intent.code, chat), state };
    case 'whoami': return { action: { kind: 'whoami' }, state };
  }
}
