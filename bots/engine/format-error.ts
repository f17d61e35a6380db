import { CATEGORY_WORDS } from './labels';
import { hintText } from './messages';
import type { ResolvedSearch } from './types';

/** The parts of a failed API call a reply needs (see ApiError). */
export interface ErrorLike {
  message: string;
  status: number;
  suggestions: string[];
}

const CITY_SUFFIX = /（[^）]*）$/;

function exampleCommand(search: ResolvedSearch, place: string): string {
  if (search.target === 'stations') return `驿站 ${place}`;
  return `${place} ${search.category ? CATEGORY_WORDS[search.category] : '优惠'}`;
}

/** The reply to a failed search: the API's message, with place suggestions as a command to copy. */
export function formatError(error: ErrorLike, search: ResolvedSearch): string {
  const unknownPlace = error.status === 404 && 'place' in search.center;
  // A bare word we only guessed was a place ("哈哈哈") gets the usage hint rather than "place not found".
  if (unknownPlace && search.guessed && error.suggestions.length === 0) return hintText();
  if (!unknownPlace || error.suggestions.length === 0) return error.message;
  const first = (error.suggestions[0] as string).replace(CITY_SUFFIX, '');
  return [
    error.message,
    `你是不是要找：${error.suggestions.join('、')}`,
    `可以这样发：「${exampleCommand(search, first)}」`,
  ].join('\n');
}
