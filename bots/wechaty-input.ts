import { types, type Message } from 'wechaty';
import type { BotInput } from './engine/types';

const UNSUPPORTED = new Set([types.Message.Audio, types.Message.Video, types.Message.Emoticon]);

/** A WeChat message as engine input; null for what the bot should stay silent about (system notices, cards...). */
export async function toInput(message: Message, inRoom: boolean): Promise<BotInput | null> {
  const type = message.type();
  if (type === types.Message.Text) return { kind: 'text', text: inRoom ? await message.mentionText() : message.text() };
  if (type === types.Message.Location) {
    // Not message.toLocation(): in wechaty 1.20 it builds the unbound LocationImpl and always throws "Wechaty User
    // Class (WUC) can not be instantiated directly" (toUrlLink had the same bug, wechaty#2358). Same payload, read directly.
    const loc = await message.wechaty.puppet.messageLocation(message.id);
    return { kind: 'location', lng: loc.longitude, lat: loc.latitude, name: loc.name, ...(loc.address ? { address: loc.address } : {}) };
  }
  // A photo (for a hazard report) is read only in private: in a room nobody asked the bot anything.
  if (type === types.Message.Image && !inRoom) {
    const box = await message.wechaty.puppet.messageImage(message.id, types.Image.HD);
    return { kind: 'image', bytes: await box.toBuffer(), ...(box.mediaType ? { mimeType: box.mediaType } : {}) };
  }
  return UNSUPPORTED.has(type) && !inRoom ? { kind: 'unsupported' } : null;
}

/** Why a message is not for the bot to answer, or null when it is: the checks that come before reading it. */
export function skipReason(message: Message, startedMs: number, seen: { has(id: string): boolean }): string | null {
  if (message.self()) return 'own';
  // Puppets replay history after a restart or reconnect: anything stamped before the start was answered (or not) then.
  if (message.date().getTime() < startedMs) return 'before_start';
  if (seen.has(message.id)) return 'duplicate';
  if (message.talker().type() === types.Contact.Official) return 'official';
  return null;
}
