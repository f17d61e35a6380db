import { CATEGORY_WORDS } from './labels';
import { hintText } from './messages';
import type { ErrorLike, ResolvedSearch } from './types';

export type { ErrorLike } from './types';

export const UNAVAILABLE_TEXT = '服务暂时不可用，请稍后再试';
export const COVERAGE_TEXT = '暖新助手目前只覆盖重庆和成都';

const CITY_SUFFIX = /（[^）]*）$/;
// The service names the parameter it refused ('参数 lat 有误：…'); riders never see parameter names.
const PARAMETER = /^参数\s*\S+\s*有误[：:]?\s*/;
const POINT_FIELDS = new Set(['lng', 'lat', 'location']);

function exampleCommand(search: ResolvedSearch, place: string): string {
  if (search.target === 'stations') return `驿站 ${place}`;
  return `${place} ${search.category ? CATEGORY_WORDS[search.category] : '优惠'}`;
}

/** Any failed call in words for a rider or staff member: never a parameter name, never a server fault. */
export function failureText(error: ErrorLike): string {
  if (error.code === 'not_configured') return error.message;
  if (error.status === 0 || error.status >= 500) return UNAVAILABLE_TEXT;
  if (error.status === 401) return '机器人未正确配置，请联系管理员';
  if (error.field && POINT_FIELDS.has(error.field)) return '这个位置不对，请重新发送位置（「+」→「位置」）';
  const message = error.message.replace(PARAMETER, '').trim();
  return message || '请求有误，请检查后再试';
}

/** The reply to a failed search: the API's message, with place suggestions as a command to copy. */
export function formatError(error: ErrorLike, search: ResolvedSearch): string {
  if (error.outside) return `${COVERAGE_TEXT}，「${error.outside}」不在服务范围内。换个重庆或成都的地名试试，如「驿站 解放碑」「驿站 春熙路」。`;
  const unknownPlace = error.status === 404 && 'place' in search.center;
  // A bare word we only guessed was a place ("哈哈哈") gets the usage hint rather than "place not found".
  if (unknownPlace && search.guessed && error.suggestions.length === 0) return hintText();
  if (!unknownPlace || error.suggestions.length === 0) return failureText(error);
  const first = (error.suggestions[0] as string).replace(CITY_SUFFIX, '');
  return [
    error.message,
    `你是不是要找：${error.suggestions.join('、')}`,
    `可以这样发：「${exampleCommand(search, first)}」`,
  ].join('\n');
}
