import { cleared, DEFAULT_ENGINE_OPTIONS, fresh, privateStep, replyStep, type Ctx, type EngineOptions } from './flow';
import { bindStep, whoAmIStep } from './flow-account';
import { approveStep, denyStep, pendingStep } from './flow-approvals';
import { enterStep, myCodeStep, placeCodeStep, requestAccessStep } from './flow-compound';
import { bareCodeStep, forgetGate, gatesOf, verifyAt, verifyStep } from './flow-guard';
import { applyStationChange, stationChangeStep } from './flow-operator';
import { askCategoryAgain, continueReport, startReport } from './flow-report';
import { searchStep } from './flow-search';
import { call } from './flow';
import { choiceText, privateOnlyText } from './format-common';
import { failureText } from './format-error';
import { cancelledText, myReportsText, nothingToCancelText, photoTooLargeText } from './format-report';
import { gateForgottenText } from './format-staff';
import { helpText, hintText, noChoiceText, radiusTooLargeText, staffHelpText, tooLongText, unsupportedText } from './messages';
import { parseCommand, type Command } from './parse-commands';
import { parseIntent } from './parse-intent';
import type { BotInput, ChatKind, ConversationState, Step } from './types';

export { DEFAULT_ENGINE_OPTIONS, MEMORY_MS, type EngineOptions } from './flow';
export { recall } from './flow-search';
export type { Step } from './types';

function commandStep(c: Exclude<Command, { kind: 'number' | 'cancel' }>, state: ConversationState, ctx: Ctx): Step {
  switch (c.kind) {
    case 'enter': return enterStep(c.query, state, ctx);
    case 'myCode': return myCodeStep(state, ctx);
    case 'placeCode': return placeCodeStep(c.code, state, ctx);
    case 'report': return startReport(c.text, undefined, state, ctx);
    case 'myReports':
      if (ctx.chat === 'room') return replyStep(state, privateOnlyText('我的上报'));
      return call(state, { op: 'myHazards' }, (o) => (o.ok ? privateStep(state, myReportsText(o.data)) : replyStep(state, failureText(o.error))));
    case 'seats': return stationChangeStep({ kind: 'occupancy', available: c.available }, state, ctx);
    case 'pause': return stationChangeStep({ kind: 'status', status: 'temporarily_closed', note: c.note }, state, ctx);
    case 'reopen': return stationChangeStep({ kind: 'status', status: 'open', note: null }, state, ctx);
    case 'pending': return pendingStep(state, ctx);
    case 'approve': return approveStep(c.ref, state, ctx);
    case 'deny': return denyStep(c.ref, c.reason, state, ctx);
    case 'verify': return verifyStep(c.code, state, ctx);
    case 'passCode': return bareCodeStep(c.code, state, ctx);
    case 'changeGate': return replyStep(forgetGate(state), gateForgottenText);
    case 'staffHelp': return replyStep(state, staffHelpText());
  }
}

/** A bare number: the entry of the numbered list just shown. */
function pickStep(n: number, state: ConversationState, ctx: Ctx): Step {
  const choice = state.choice;
  if (!choice || !fresh(choice.at, ctx.now, ctx.o.memoryMs)) return replyStep(state, noChoiceText());
  const option = choice.options[n - 1];
  if (!option) return replyStep(state, choiceText(`请回复 1 到 ${choice.options.length} 之间的序号：`, choice.options));
  const rest = cleared(state);
  switch (choice.kind) {
    case 'compound': return requestAccessStep(option, rest);
    case 'station': return applyStationChange(option.id, choice.change, rest);
    case 'guard_compound': return gatesOf(option, choice.code, rest, ctx);
    case 'gate': return verifyAt(choice.compound, option, choice.code, rest, ctx);
  }
}

/** Search, help and staff binding: what a message is when it is no command and no flow is waiting for it. */
function intentStep(input: BotInput, state: ConversationState, ctx: Ctx): Step {
  const intent = parseIntent(input, ctx.o.vocabulary);
  switch (intent.kind) {
    case 'help': return replyStep(state, helpText());
    case 'hint': return replyStep(state, hintText());
    case 'unsupported': return replyStep(state, unsupportedText());
    case 'radius_too_large': return replyStep(state, radiusTooLargeText(intent.maxRadiusM));
    case 'search': return searchStep(intent, state, ctx);
    case 'bind': return bindStep(intent.code, state, ctx);
    case 'whoami': return whoAmIStep(state);
  }
}

function reportStep(input: BotInput, state: ConversationState, ctx: Ctx): Step | null {
  const draft = state.report;
  if (!draft || !fresh(draft.at, ctx.now, ctx.o.reportMs)) return null;
  const next = continueReport(input, draft, state, ctx);
  if (next) return next;
  // Text the category question cannot read: a clear search leaves the report; anything else asks again.
  const intent = parseIntent(input, ctx.o.vocabulary);
  return intent.kind === 'search' && !intent.guessed ? searchStep(intent, cleared(state), ctx) : askCategoryAgain(draft, state, ctx);
}

/**
 * One turn: a message, the chat it came in and the state before it give an action and the state after it. Pure:
 * an API call is an action whose `next` gives the following step from the call's outcome.
 */
export function step(
  input: BotInput, state: ConversationState, now: Date, options: Partial<EngineOptions> = {}, chat: ChatKind = 'private',
): Step {
  const ctx: Ctx = { now, chat, o: { ...DEFAULT_ENGINE_OPTIONS, ...options } };
  if (input.kind === 'text' && [...input.text].length > ctx.o.maxTextChars) return replyStep(state, tooLongText(ctx.o.maxTextChars));
  const command = input.kind === 'text' ? parseCommand(input.text, ctx.o.vocabulary) : undefined;
  if (command?.kind === 'cancel') {
    const busy = Boolean(state.report || state.choice);
    return replyStep(cleared(state), busy ? cancelledText : nothingToCancelText);
  }
  // A new command starts afresh: a report or a numbered choice in progress is dropped.
  if (command && command.kind !== 'number') return commandStep(command, cleared(state), ctx);
  const inReport = reportStep(input, state, ctx);
  if (inReport) return inReport;
  if (command?.kind === 'number') return pickStep(command.n, state, ctx);
  if (input.kind === 'image') {
    if (input.bytes.byteLength > ctx.o.maxPhotoBytes) return replyStep(state, photoTooLargeText(ctx.o.maxPhotoBytes));
    return startReport(null, { bytes: input.bytes, mimeType: input.mimeType ?? 'image/jpeg' }, cleared(state), ctx);
  }
  return intentStep(input, state, ctx);
}
