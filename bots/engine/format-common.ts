import type { NearbyMeta } from '../api-contract';
import { formatRadius } from './text';
import type { Option, ResolvedSearch } from './types';

const RADIUS_STEPS_M = [1_000, 3_000, 5_000, 10_000, 20_000];
const CST_OFFSET_MS = 8 * 3_600_000;

/** The next radius at least half as wide again (800 m gives 3 km, not 1 km), or null when already at the widest. */
export function widerRadius(currentM: number): number | null {
  const widest = RADIUS_STEPS_M[RADIUS_STEPS_M.length - 1] as number;
  return RADIUS_STEPS_M.find((r) => r >= currentM * 1.5) ?? (currentM < widest ? widest : null);
}

/** '解放碑附近' or '你附近', preferring the API's canonical place name. */
export function whereText(search: ResolvedSearch, meta: NearbyMeta): string {
  const place = meta.place?.name ?? search.label;
  return place ? `${place}附近` : '你附近';
}

/** Nothing found: name the radius searched and suggest the same request with a wider one (a command the bot parses). */
export function emptyText(meta: NearbyMeta, what: string, command: (radius: string) => string): string {
  const radius = formatRadius(meta.radius);
  const wider = widerRadius(meta.radius);
  if (wider === null) return `${radius}内没有找到${what}，换个地点试试吧。`;
  return `${radius}内没有找到${what}，试试发送更大的范围，如「${command(formatRadius(wider))}」`;
}

/** Words joined by single spaces, skipping empty ones. */
export function words(...parts: Array<string | null | undefined>): string {
  return parts.filter((p): p is string => Boolean(p)).join(' ');
}

/** An ISO time as a date in the cities' time zone: '12月25日'. */
export function dateText(iso: string): string {
  const t = new Date(new Date(iso).getTime() + CST_OFFSET_MS);
  return `${t.getUTCMonth() + 1}月${t.getUTCDate()}日`;
}

/** A numbered list to reply to with a number: the question, the options, and how to answer. */
export function choiceText(question: string, options: Option[]): string {
  return [question, ...options.map((o, i) => `${i + 1}. ${o.label}`), '请回复序号，如「1」。'].join('\n');
}

/** Said in a room instead of a pass, a code or a staff list: everyone in the room would read it. */
export function privateOnlyText(command: string): string {
  return `为保护隐私，这个只在私聊里回复：请私聊我发送「${command}」。`;
}
