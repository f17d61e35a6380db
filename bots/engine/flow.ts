import type { Action, ApiRequest, ChatKind, ConversationState, Op, Outcome, Step } from './types';
import { DEFAULT_VOCABULARY, type Vocabulary } from './vocabulary';

export const MEMORY_MS = 10 * 60_000;

export interface EngineOptions {
  vocabulary: Vocabulary;
  /** How many results a reply lists. */
  limit: number;
  /** How long a location, a numbered list or a station choice stays usable for follow-up messages. */
  memoryMs: number;
  /** How long a half-finished hazard report waits for the next message. */
  reportMs: number;
  /** How long a manager's pending list stays what '同意 2' refers to. */
  pendingMs: number;
  /** How long a guard's chosen gate is kept. */
  gateMs: number;
  /** Longer text messages are refused. */
  maxTextChars: number;
  /** Larger photos are refused before they are sent. */
  maxPhotoBytes: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  vocabulary: DEFAULT_VOCABULARY, limit: 5, memoryMs: MEMORY_MS, reportMs: 30 * 60_000, pendingMs: 30 * 60_000,
  gateMs: 12 * 3_600_000, maxTextChars: 500, maxPhotoBytes: 5 * 1024 * 1024,
};

/** What every flow step sees besides the state: the time, the kind of chat and the options. */
export interface Ctx {
  now: Date;
  chat: ChatKind;
  o: EngineOptions;
}

export const replyStep = (state: ConversationState, text: string): Step => ({ action: { kind: 'reply', text }, state });

/** A reply for the sender's eyes only: passes, codes, staff lists. */
export const privateStep = (state: ConversationState, text: string): Step => ({ action: { kind: 'reply', text, privateOnly: true }, state });

/** Asks the runtime for one API call; `next` turns its outcome into the following step. */
export function call<O extends Op>(state: ConversationState, request: Extract<ApiRequest, { op: O }>, next: (outcome: Outcome<O>) => Step): Step {
  return { action: { kind: 'call', request, next } as Action, state };
}

/** True while something remembered at `at` is younger than `ms`. */
export const fresh = (at: number | undefined, now: Date, ms: number): boolean => at !== undefined && now.getTime() - at < ms;

/** The state without a numbered choice or report in progress: a new command starts afresh. */
export function cleared(state: ConversationState): ConversationState {
  const { choice: _choice, report: _report, ...rest } = state;
  return rest;
}
