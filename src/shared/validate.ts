import type { ParsedUrlQuery } from 'node:querystring';
import { z } from 'zod';
import { ValidationError } from './errors';

// User-facing text is Chinese: zod's own messages too (ours are written in Chinese where we set them).
z.config(z.locales.zhCN());
// A number too large for a double (400 digits, 1e400) arrives as Infinity: the locale's "期望 数字，实际接收 数字"
// ("expected a number, got a number") says nothing. Schemas' own messages still come first.
z.config({
  customError: (iss) => (iss.code === 'invalid_type' && iss.expected === 'number' && typeof iss.input === 'number' ? '必须是有限的数字（不能过大或过小）' : undefined),
});

function describe(issues: z.core.$ZodIssue[]): Array<{ field: string; message: string }> {
  return issues.map((i) => {
    const field = i.path.map(String).join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(',') : '(body)');
    const message = i.code === 'unrecognized_keys' ? `未知字段：${i.keys.join(', ')}` : i.message;
    return { field: i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys.join(',') : field, message };
  });
}

/** Validates a value against a schema; the 400/422 names every bad field, the first in the message. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, status: 400 | 422 = 400): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = describe(result.error.issues);
  const first = details[0] as { field: string; message: string };
  const message = first.field === '(body)' ? first.message : `参数 ${first.field} 有误：${first.message}`;
  throw new ValidationError(message, details, status);
}

/** Query strings: every value must be given once as plain text (no lng=1&lng=2, no lng[$gt]=1). */
export function validateQuery<S extends z.ZodType>(schema: S, query: ParsedUrlQuery): z.output<S> {
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      throw new ValidationError(`参数 ${key} 只能出现一次`, [{ field: key, message: 'given more than once' }]);
    }
  }
  return validate(schema, query);
}

/** Coerces a query-string number, rejecting '', 'abc', 'Infinity' and friends with a readable message. */
export const queryNumber = () =>
  z.string().trim().regex(/^-?\d+(\.\d+)?$/, '必须是数字').transform(Number);

export const queryInt = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, '必须是整数').transform(Number).pipe(z.number().min(min, `不能小于 ${min}`).max(max, `不能大于 ${max}`))
    .meta({ description: `整数，${min} 到 ${max}` });

export const queryBool = () =>
  z.enum(['true', 'false', '1', '0'], { message: '必须是 true 或 false' }).transform((v) => v === 'true' || v === '1');

/** Comma-separated list of values from a fixed vocabulary. */
export const queryList = <T extends string>(vocab: readonly T[]) =>
  z.string().transform((s, ctx) => {
    const items = s.split(',').map((x) => x.trim()).filter(Boolean);
    const unknown = items.filter((x) => !vocab.includes(x as T));
    if (unknown.length) {
      ctx.addIssue({ code: 'custom', message: `未知取值：${unknown.join(', ')}；可选：${vocab.join(', ')}` });
      return z.NEVER;
    }
    return [...new Set(items)] as T[];
  }).meta({ description: `逗号分隔，可选：${vocab.join(', ')}`, examples: [vocab.slice(0, 2).join(',')] });
