import { call, replyStep, type Ctx } from './flow';
import { bindInRoomText, bindUsageText, formatBound, formatStaffError, formatWhoAmI } from './format-staff';
import type { ConversationState, Step } from './types';

/** A bind code is a password for ten minutes: never sent to the API from a room, where everyone has read it. */
export function bindStep(code: string | null, state: ConversationState, ctx: Ctx): Step {
  if (ctx.chat === 'room') return replyStep(state, bindInRoomText());
  if (code === null) return replyStep(state, bindUsageText());
  return call(state, { op: 'bind', code }, (o) => replyStep(state, o.ok ? formatBound(o.data) : formatStaffError(o.error)));
}

/** 「我是谁」: the staff account this contact is bound to, or how riders use the bot. */
export function whoAmIStep(state: ConversationState): Step {
  return call(state, { op: 'whoami' }, (o) => replyStep(state, o.ok ? formatWhoAmI(o.data) : formatStaffError(o.error)));
}
