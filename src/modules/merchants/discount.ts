export interface DiscountGuess {
  kind: 'percent' | 'amount' | 'other';
  percentOff?: number;
  amountOff?: number;
  minSpend?: number;
}

const ZH_DIGIT = '〇一二三四五六七八九';
const NUM = '(\\d+(?:\\.\\d+)?)';
const round2 = (n: number): number => Math.round(n * 100) / 100;

export const DISCOUNT_KINDS: Record<string, string> = {
  percent: 'percent', 折扣: 'percent', amount: 'amount', 满减: 'amount', 立减: 'amount', other: 'other', 其他: 'other',
};

/** The "N" of "N折" (8.8 for '8.8折', '88折' or '八八折'), or null. */
function zheOf(text: string): number | null {
  const arabic = new RegExp(`${NUM}\\s*折`).exec(text);
  if (arabic) {
    const n = Number(arabic[1]);
    return n >= 10 && n < 100 ? n / 10 : n; // '88折' is the shop way of writing 8.8折
  }
  const zh = /([一二三四五六七八九])([一二三四五六七八九])?\s*折/.exec(text);
  if (!zh) return null;
  return ZH_DIGIT.indexOf(zh[1] as string) + (zh[2] ? ZH_DIGIT.indexOf(zh[2]) / 10 : 0);
}

/** Guesses kind and amounts from the shop's own wording: '8.8折' → 12% off, '满30减5', '立减3元'. */
export function inferDiscount(text: string): DiscountGuess {
  const zhe = zheOf(text);
  if (zhe !== null && zhe > 0 && zhe < 10) return { kind: 'percent', percentOff: round2(100 - zhe * 10) };
  const spend = new RegExp(`满\\s*${NUM}\\s*元?\\s*减\\s*${NUM}`).exec(text);
  if (spend) return { kind: 'amount', minSpend: Number(spend[1]), amountOff: Number(spend[2]) };
  const flat = new RegExp(`(?:立减|直减|减)\\s*${NUM}\\s*元`).exec(text) ?? new RegExp(`(?:立减|直减)\\s*${NUM}`).exec(text);
  if (flat) return { kind: 'amount', amountOff: Number(flat[1]) };
  return { kind: 'other' };
}
