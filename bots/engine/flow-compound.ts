import { call, privateStep, replyStep, type Ctx } from './flow';
import { choiceText, privateOnlyText } from './format-common';
import { compoundNotFoundText, compoundOption, enterUsageText, formatAccessOutcome, formatCodes, formatPlaceScan } from './format-compound';
import { failureText } from './format-error';
import type { ConversationState, Option, Step } from './types';

const MAX_CHOICES = 5;

/** Asks for access to one compound (or shows the pass the rider already has). */
export function requestAccessStep(compound: Option, state: ConversationState): Step {
  return call(state, { op: 'requestAccess', compoundId: compound.id }, (o) =>
    (o.ok ? privateStep(state, formatAccessOutcome(o.data)) : replyStep(state, failureText(o.error))));
}

/** 「进小区 幸福里」: finds the compound, asks which when several match, and asks for access. */
export function enterStep(query: string | null, state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, privateOnlyText(`进小区 ${query ?? '小区名'}`));
  if (!query) return replyStep(state, enterUsageText);
  return call(state, { op: 'findCompounds', q: query }, (o) => {
    if (!o.ok) return replyStep(state, failureText(o.error));
    const options = o.data.slice(0, MAX_CHOICES).map(compoundOption);
    const [only] = options;
    if (!only) return replyStep(state, compoundNotFoundText(query));
    if (options.length === 1) return requestAccessStep(only, state);
    const more = o.data.length > MAX_CHOICES ? `找到不止 ${MAX_CHOICES} 个，写得更具体些可以缩小范围。` : '';
    const next: ConversationState = { ...state, choice: { kind: 'compound', options, at: ctx.now.getTime() } };
    return replyStep(next, choiceText(`找到多个小区，是哪一个？${more}`, options));
  });
}

/** 「我的通行码」: the current code of each pass, only in a private chat. */
export function myCodeStep(state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, privateOnlyText('我的通行码'));
  return call(state, { op: 'currentCodes' }, (o) => (o.ok ? privateStep(state, formatCodes(o.data)) : replyStep(state, failureText(o.error))));
}

/** A gate's place code sent as text: the pass for that compound, or a request for one. */
export function placeCodeStep(code: string, state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, privateOnlyText(code));
  return call(state, { op: 'scanPlaceCode', code }, (o) => (o.ok ? privateStep(state, formatPlaceScan(o.data)) : replyStep(state, failureText(o.error))));
}
