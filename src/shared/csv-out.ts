import { stringify } from 'csv-stringify/sync';

/** What Excel and WPS run as a formula when a cell starts with it (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * Whether a spreadsheet could run this text as a formula: it starts with a trigger, also after leading spaces
 * (Excel skips them); plain numbers such as -12.5 or +3 are data.
 */
export const looksLikeFormula = (text: string): boolean =>
  (FORMULA_START.test(text) || FORMULA_START.test(text.trimStart())) && !PLAIN_NUMBER.test(text.trim());

/** A cell made safe to open in a spreadsheet: formula-looking text gets a leading ' (OWASP's advice). */
export function neutralizeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return looksLikeFormula(text) ? `'${text}` : text;
}

/**
 * Every CSV the service writes goes through here: UTF-8 with a BOM (so Excel reads Chinese right), CRLF line ends,
 * RFC 4180 quoting by csv-stringify, and every cell neutralised against formula injection.
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const cells = rows.map((r) => r.map(neutralizeCell));
  return `\uFEFF${stringify([[...header].map(neutralizeCell), ...cells], { record_delimiter: 'windows' })}`;
}
