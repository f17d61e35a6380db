import { looksLikeFormula } from '../../shared/csv-out';
import type { CellShape } from './columns';
import type { FieldIssue, Rejection, RowRef } from './import.types';

// Data that starts like a formula but is not one: phone numbers (+86 138 0000 0000, +86-13800000000) and a lone
// "-" (or "--") that spreadsheets use for "none". Written back out, such cells still get the leading ' (csv-out).
const HARMLESS = /^(?:\+?\d[\d\s()-]*|-+)$/;

/** Why a text cell must be refused as a spreadsheet formula, or null (plain numbers such as -12.5 are data). */
export function formulaProblem(text: string): string | null {
  if (!looksLikeFormula(text)) return null;
  if (!/^[\t\r]/.test(text) && HARMLESS.test(text.trim())) return null;
  return '内容不能以 = + - @ 或制表符、回车开头（电子表格会把它当作公式执行）';
}

const isScalar = (v: unknown): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v);

/**
 * Why an imported cell is refused, or null: an object or array in a text column would be stored as
 * "[object Object]" or "x,y"; text that a spreadsheet would run as a formula is refused in every column.
 * Objects of an 'object' column (hours in the API's shape) are left to the JSON API's schema.
 */
export function cellProblem(value: unknown, shape?: CellShape): string | null {
  if (Array.isArray(value)) {
    if (shape !== 'list') return '必须是文本或数字，不能是数组';
    if (!value.every(isScalar)) return '列表里只能是文本或数字，不能有对象或数组';
    for (const item of value) {
      const p = typeof item === 'string' ? formulaProblem(item) : null;
      if (p) return p;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') return shape === 'object' ? null : '必须是文本或数字，不能是对象';
  return typeof value === 'string' ? formulaProblem(value) : null;
}

export interface Cell {
  field: string; // canonical column
  header: string; // as the file spells it
  value: unknown;
  shape?: CellShape;
}

/** Every refused cell of a row, by canonical column, the message quoting the header as the file spells it. */
export function cellIssues(cells: readonly Cell[]): FieldIssue[] {
  return cells.flatMap((c) => {
    const problem = cellProblem(c.value, c.shape);
    return problem ? [{ field: c.field, message: `「${c.header}」${problem}` }] : [];
  });
}

/** A row refused while reading the file, naming every bad cell. */
export const rejection = (ref: RowRef, externalId: string | null, issues: FieldIssue[]): Rejection => ({
  ...ref, externalId, reason: issues.map((i) => `${i.field}: ${i.message}`).join('；'), fields: issues,
});
