import { normalizeText, stripPunctuation } from './text';
import { DEFAULT_VOCABULARY, type Vocabulary } from './vocabulary';

/** What the service issues is 8 characters; a little slack either way for other code lengths. */
const CODE = /^[A-Z0-9]{6,12}$/;
const ENDS_ALNUM = /[a-z0-9]$/;
const STARTS_ALNUM = /^[a-z0-9]/;

const squeeze = (text: string) => stripPunctuation(text).replace(/\s+/g, ' ').trim();

/**
 * A message starting with a bind word ('绑定 k7m2-q9xa', '绑定K7M2Q9XA', 'bind K7M2Q9XA'): the code in upper case
 * without spaces or dashes, or null when it is missing or malformed; undefined when the message is not about binding.
 */
export function matchBind(text: string, vocabulary: Vocabulary = DEFAULT_VOCABULARY): { code: string | null } | undefined {
  const t = normalizeText(text);
  const words = vocabulary.bindWords.map(normalizeText).sort((a, b) => b.length - a.length);
  // A Latin word must end at a word boundary, so 'binding' or 'bindery' is not a bind request.
  const word = words.find((w) => t.startsWith(w) && !(ENDS_ALNUM.test(w) && STARTS_ALNUM.test(t.slice(w.length))));
  if (word === undefined) return undefined;
  const code = squeeze(t.slice(word.length)).replace(/ /g, '').toUpperCase();
  return { code: CODE.test(code) ? code : null };
}

/** True when the whole message asks who the sender is to the service ('我是谁', 'whoami'). */
export function matchWhoAmI(text: string, vocabulary: Vocabulary = DEFAULT_VOCABULARY): boolean {
  const t = squeeze(normalizeText(text));
  return vocabulary.whoAmIWords.some((w) => normalizeText(w) === t);
}
