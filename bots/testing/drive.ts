import { step, type EngineOptions } from '../engine/conversation';
import type { ApiRequest, ApiResults, BotInput, ChatKind, ConversationState, ErrorLike, Op, Outcome, Step } from '../engine/types';

/** An API failure to answer a call with. */
export interface Failure {
  failure: ErrorLike;
}
export const fail = (status: number, message: string, extra: Partial<ErrorLike> = {}): Failure =>
  ({ failure: { status, message, suggestions: [], ...extra } });

type Answer<O extends Op> = ApiResults[O] | Failure | ((r: Extract<ApiRequest, { op: O }>) => ApiResults[O] | Failure);
/** Plain fakes for the engine's calls: per op, the data to answer, a failure, or a function of the request. */
export type Answers = { [O in Op]?: Answer<O> };

const isFailure = (x: unknown): x is Failure => typeof x === 'object' && x !== null && 'failure' in x;

/** Runs a step's calls against the answers until it replies; an op without an answer fails the test. */
export function drive(first: Step, answers: Answers): { text: string; state: ConversationState; requests: ApiRequest[] } {
  const requests: ApiRequest[] = [];
  let s = first;
  while (s.action.kind === 'call') {
    const { request } = s.action;
    requests.push(request);
    const answer = answers[request.op] as Answer<Op> | undefined;
    if (answer === undefined) throw new Error(`no answer for ${request.op}: ${JSON.stringify(request)}`);
    const value = typeof answer === 'function' ? (answer as (r: ApiRequest) => unknown)(request) : answer;
    const outcome = (isFailure(value) ? { ok: false, error: value.failure } : { ok: true, data: value }) as Outcome<Op>;
    s = (s.action.next as (o: Outcome<Op>) => Step)(outcome);
  }
  return { text: s.action.text, state: s.state, requests };
}

/** A conversation with the engine over plain fakes: each message sees the state the last one left. */
export function conversation(answers: Answers, opts: { now?: Date; chat?: ChatKind; options?: Partial<EngineOptions> } = {}) {
  let state: ConversationState = {};
  let now = opts.now ?? new Date('2025-06-01T12:00:00+08:00');
  const requests: ApiRequest[] = [];
  const send = (input: BotInput | string, chat: ChatKind = opts.chat ?? 'private'): string => {
    const message: BotInput = typeof input === 'string' ? { kind: 'text', text: input } : input;
    const r = drive(step(message, state, now, opts.options, chat), answers);
    state = r.state;
    requests.push(...r.requests);
    return r.text;
  };
  return {
    send,
    requests,
    get state() { return state; },
    set state(s: ConversationState) { state = s; },
    later(ms: number) { now = new Date(now.getTime() + ms); },
  };
}
