import type { z } from 'zod';
import { PLACE_COLUMNS, type ColumnSpec } from '../import/columns';
import { FieldError, type FieldIssue, type ImportDefinition } from '../import/import.types';
import { attempt, defined } from '../import/row-check';
import { cellText, lookup, placeCells, toList, toNumber } from '../import/values';
import { compoundInputSchema, GATE_ID, policySchema } from './compounds.schema';
import { optionalText } from '../../shared/schema';
import { toCompoundInput } from './compounds.service';
import type { CompoundInput } from './compounds.types';

export const COMPOUND_COLUMNS: ColumnSpec = {
  aliases: {
    ...PLACE_COLUMNS,
    propertyCompany: ['propertyCompany', '物业公司', '物业'],
    gates: ['gates', '门', '出入口'],
    mode: ['mode', 'accessMode', '进入方式'],
    riderHours: ['riderHours', '骑手进入时段', '允许时段'],
    maxPassDays: ['maxPassDays', '最长天数'],
    ebikeAllowed: ['ebikeAllowed', '电动车可入', '电动车'],
    notes: ['notes', '提示', '备注'],
  },
  required: ['name', 'city', 'district', 'address', 'lng', 'lat', 'gates'],
  shapes: { gates: 'list' },
};

const MODES: Record<string, string> = { manual: 'manual', 审批: 'manual', 物业审批: 'manual', auto: 'auto', 自动: 'auto', closed: 'closed', 不开放: 'closed', 关闭: 'closed' };
const YES = new Set(['是', 'yes', 'true', '1', '可以', '允许']);
const NO = new Set(['否', 'no', 'false', '0', '不可以', '不允许']);

/** "east:东门" or just "东门" (numbered 1, 2… in order). */
function toGates(v: unknown): unknown {
  const list = toList(v);
  if (!Array.isArray(list)) return list;
  return list.map((item, i) => {
    const text = String(item);
    const at = text.search(/[:：]/);
    if (at < 0) return { id: String(i + 1), name: text };
    const id = text.slice(0, at).trim().toLowerCase();
    if (!GATE_ID.test(id)) throw new FieldError('gates', `门的编号「${id}」须为 1-8 位小写字母或数字`);
    return { id, name: text.slice(at + 1).trim() };
  });
}

function toBool(field: string, v: unknown): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  if (YES.has(s)) return true;
  if (NO.has(s)) return false;
  throw new FieldError(field, `「${s}」应为 是 或 否`);
}

/** "07:00-23:00" or several, separated like other lists. */
function toRanges(v: unknown): unknown {
  const list = toList(v);
  if (!Array.isArray(list)) return list;
  return list.map((r) => {
    const m = /^(\d{1,2}:\d{2})\s*[-~至到]\s*(\d{1,2}:\d{2})$/.exec(String(r));
    if (!m) throw new FieldError('riderHours', `「${String(r)}」应写成 07:00-23:00`);
    const pad = (t: string) => t.padStart(5, '0');
    return { open: pad(m[1] as string), close: pad(m[2] as string) };
  });
}

const POLICY_COLUMNS = ['mode', 'riderHours', 'maxPassDays', 'ebikeAllowed'];

function compoundBody(v: Record<string, unknown>, issues: FieldIssue[]): Record<string, unknown> {
  const num = (f: string) => attempt(issues, () => toNumber(f, v[f]));
  const rules = defined({
    hours: attempt(issues, () => toRanges(v.riderHours)),
    maxPassDays: num('maxPassDays'),
    ebikeAllowed: attempt(issues, () => toBool('ebikeAllowed', v.ebikeAllowed)),
  });
  // The policy and notes are the managers' once a compound exists: a row sets them only through their own columns.
  const hasPolicy = POLICY_COLUMNS.some((c) => v[c] !== undefined);
  return defined({
    ...placeCells(v, num),
    propertyCompany: cellText(v.propertyCompany),
    gates: attempt(issues, () => toGates(v.gates)),
    policy: hasPolicy ? { mode: lookup(MODES, v.mode) ?? 'manual', rules } : undefined,
    notes: cellText(v.notes),
  });
}

/** The import's schema: as POST /api/v1/compounds, but policy and notes stay absent when the row has no such columns. */
const compoundImportSchema = compoundInputSchema.extend({ policy: policySchema.optional(), notes: optionalText(500, { multiline: true }).optional() });

const DEFAULT_POLICY = policySchema.parse({ mode: 'manual' });

/** Imported inputs whose policy or notes came from no column: on an update, the stored ones are kept (storage/index.ts). */
export const keepStored = new WeakMap<CompoundInput, Array<'policy' | 'notes'>>();

function toImportInput(input: z.output<typeof compoundImportSchema>, coordSys: Parameters<typeof toCompoundInput>[1]): CompoundInput {
  const keep: Array<'policy' | 'notes'> = [];
  if (input.policy === undefined) keep.push('policy');
  if (input.notes === undefined) keep.push('notes');
  const out = toCompoundInput({ ...input, policy: input.policy ?? DEFAULT_POLICY, notes: input.notes ?? null }, coordSys);
  if (keep.length) keepStored.set(out, keep);
  return out;
}

/** CSV/GeoJSON rows → CompoundInput, through the same schema as POST /api/v1/compounds. */
export const compoundImport: ImportDefinition<z.output<typeof compoundImportSchema>, CompoundInput> = {
  columns: COMPOUND_COLUMNS,
  body: compoundBody,
  schema: compoundImportSchema,
  toInput: toImportInput,
  columnOf: ([a = '(row)', b, c]) => (a === 'policy' && b === 'rules' ? (c === 'hours' ? 'riderHours' : (c ?? 'mode')) : a === 'policy' ? 'mode' : a),
};
