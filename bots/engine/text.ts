const CN_DIGITS: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
// The look-behind keeps '十五公里' from being read as '五公里'.
const RADIUS = /(?<![\d.一两二三四五六七八九十百])(\d+(?:\.\d+)?|[一两二三四五六七八九十])\s*(公里|千米|km|米|m)(?:以内|之内|内)?/i;
const PUNCTUATION = /[，。,.!！?？、;；:：~～"“”'‘’()（）【】[\]<>《》…\-—_/\\|]+/g;

/** Full-width to ASCII (NFKC), lower case, single spaces: the form every matcher works on. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Replaces punctuation with spaces so that it never ends up inside a place name. */
export function stripPunctuation(text: string): string {
  return text.replace(PUNCTUATION, ' ');
}

/** Finds a radius such as '3公里', '1.5km', '500米', '三公里'; returns metres and the text without it. */
export function extractRadius(text: string): { radiusM?: number; rest: string } {
  const m = RADIUS.exec(text);
  if (!m) return { rest: text };
  const [whole, amount = '', unit = ''] = m;
  const value = CN_DIGITS[amount] ?? Number(amount);
  const metres = /^(米|m)$/i.test(unit) ? value : value * 1000;
  return { radiusM: Math.round(metres), rest: text.replace(whole, ' ') };
}

/** '230米', '1.2公里', '12公里': how a distance reads on a phone. */
export function formatDistance(metres: number): string {
  if (Math.round(metres) < 1000) return `${Math.round(metres)}米`;
  const km = metres / 1000;
  return `${km >= 10 ? Math.round(km) : Number(km.toFixed(1))}公里`;
}

/** A search radius in words: '500米', '1公里', '2.5公里'. */
export function formatRadius(metres: number): string {
  return metres < 1000 ? `${Math.round(metres)}米` : `${Number((metres / 1000).toFixed(1))}公里`;
}
