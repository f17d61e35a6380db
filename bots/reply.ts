/**
 * A reply as the responder gives it: text, or text marked private-only (a pass, an entry code: never shown in a
 * room). Both shapes are accepted, whichever the responder returns.
 */
export type AnyReply = string | { text: string; privateOnly?: boolean };

/** Sent to a room in place of a reply that must stay private. */
export const PRIVATE_ONLY_IN_ROOM = '这条内容只能私聊查看，请私聊机器人';

/** What actually goes out to a chat: a private-only reply never reaches a room, whatever the conversation decided. */
export function roomSafeText(reply: AnyReply, inRoom: boolean): string {
  if (typeof reply === 'string') return reply;
  return inRoom && reply.privateOnly ? PRIVATE_ONLY_IN_ROOM : reply.text;
}
