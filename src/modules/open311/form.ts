import type { Context } from 'koa';
import { readRaw } from '../../shared/body';
import { ValidationError } from '../../shared/errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One form or query value: '+' is a space, and the bytes a percent sign names must be UTF-8 (never replaced). */
function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw new ValidationError('表单数据不是合法的 UTF-8 百分号编码', [{ field: '(body)', message: '表单数据不是合法的 UTF-8 百分号编码' }]);
  }
}

/** Parses application/x-www-form-urlencoded text into pairs, in order, repeats kept. */
export function parsePairs(text: string): Array<[string, string]> {
  return text.split('&').filter(Boolean).map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? [decode(pair), ''] : [decode(pair.slice(0, at)), decode(pair.slice(at + 1))];
  });
}

/** Reads a POST body as a form: only application/x-www-form-urlencoded (400 otherwise), UTF-8, at most limitBytes. */
export async function readForm(ctx: Context, limitBytes: number): Promise<Array<[string, string]>> {
  const hasBody = ctx.request.length > 0 || (ctx.request.length === undefined && ctx.get('transfer-encoding') !== '');
  if (!hasBody) return [];
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new ValidationError('请求体须为 application/x-www-form-urlencoded 表单（Open311 的 POST 格式）', [{ field: '(body)', message: '请求体须为 application/x-www-form-urlencoded 表单（Open311 的 POST 格式）' }]);
  }
  const raw = await readRaw(ctx, limitBytes);
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new ValidationError('请求体不是合法的 UTF-8 编码', [{ field: '(body)', message: '请求体不是合法的 UTF-8 编码' }]);
  }
  return parsePairs(text);
}

/**
 * The fields of a POST: the form's and the query string's pairs together (clients put jurisdiction_id or api_key in
 * either). A field given twice is a 400; `attribute[...]` fields are set aside (no service here has attributes);
 * an empty value counts as not given, as the specification's "optional" says.
 */
export function fieldsOf(pairs: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const seen = new Set<string>();
  for (const [key, value] of pairs) {
    if (key.startsWith('attribute[')) continue;
    if (seen.has(key)) throw new ValidationError(`参数 ${key.slice(0, 50)} 只能出现一次`, [{ field: key.slice(0, 50), message: '只能出现一次' }]);
    seen.add(key);
    if (value !== '') out[key] = value;
  }
  return { ...out };
}
