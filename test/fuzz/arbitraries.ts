import fc from 'fast-check';

/** A JSON Schema as the OpenAPI document holds it (2020-12, refs into components resolved by `resolve`). */
export type Schema = Record<string, unknown>;
type Resolve = (ref: string) => Schema;

const MAX_ITEMS = 3;

/** Strings that have broken services before: controls, bidi overrides, lone surrogates, injections, odd numbers. */
export const nastyString = fc.constantFrom(
  '', ' ', '\u0000', '\u0007', '\t', '\r\n', '\u202e反转', '\u200b', '\u3000', '\ufeff', '\ud800', '\udfff', '𠮷野家', '💩🚴‍♂️',
  '<script>alert(1)</script>', "' OR '1'='1", '"; DROP TABLE stations; --', '${7*7}', '{{7*7}}', '../../etc/passwd', '%00', '%E0%A4%A',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '$gt', '$where', 'NaN', 'Infinity', '-0', '1e309', '0x1A',
  '=HYPERLINK("http://x")', '+1', '-1', '@SUM(A1)', 'null', 'true', '[]', '{}', '解放碑', '春熙路', 'chongqing', '24h', '08:00',
  '6650a1b2c3d4e5f601234567', '000000000000000000000000', 'ffffffffffffffffffffffff', 'é'.normalize('NFD'), 'İ', 'ǅ',
);

const hugeString = fc.constantFrom(10_000, 70_000).chain((n) => fc.constantFrom('x', '驿', '🚴', '\u0301').map((c) => c.repeat(n)));

/** Any text: ASCII, full unicode, the nasty list, and now and then something huge. */
export const anyString = fc.oneof(
  { arbitrary: fc.string({ maxLength: 30 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 20 }), weight: 1 },
  { arbitrary: nastyString, weight: 4 },
  { arbitrary: hugeString, weight: 1 },
);

/** A value of the wrong kind for almost any field. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.constantFrom(-1, 0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1 + 0.2),
  anyString, fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.dictionary(anyString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.constant({ $gt: '' }), fc.constant([[[[[]]]]]),
);

function stringFor(s: Schema): fc.Arbitrary<string> {
  const min = (s.minLength as number | undefined) ?? 0;
  const max = Math.min((s.maxLength as number | undefined) ?? 24, 60);
  if (s.format === 'date-time') {
    return fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2032-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (typeof s.pattern === 'string') {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((v) => [...v].length <= Math.max(max, 40));
    } catch {
      // a pattern fast-check cannot generate from: plain strings below
    }
  }
  return fc.string({ unit: 'grapheme', minLength: Math.min(min, max), maxLength: max }).map((v) => (v.trim() ? v : `${v}站`));
}

function numberFor(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const lo = (s.minimum as number | undefined) ?? (s.exclusiveMinimum as number | undefined) ?? -1e6;
  const hi = (s.maximum as number | undefined) ?? (s.exclusiveMaximum as number | undefined) ?? 1e6;
  if (integer) return fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) });
  return fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true, minExcluded: 'exclusiveMinimum' in s, maxExcluded: 'exclusiveMaximum' in s });
}

function objectFor(s: Schema, resolve: Resolve, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v, resolve, depth + 1)]));
  const base = fc.record(model, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
  const extra = s.additionalProperties;
  if (extra && typeof extra === 'object' && Object.keys(props).length === 0) {
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), valid(extra as Schema, resolve, depth + 1), { maxKeys: MAX_ITEMS });
  }
  return base;
}

/** Values the schema accepts (as far as JSON Schema can say; refinements are the handler's), examples first. */
export function valid(s: Schema, resolve: Resolve, depth = 0): fc.Arbitrary<unknown> {
  if (typeof s.$ref === 'string') return valid(resolve(s.$ref), resolve, depth);
  const known = [...((s.examples as unknown[] | undefined) ?? []), ...(s.default !== undefined ? [s.default] : [])];
  const gen = generate(s, resolve, depth);
  return known.length ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 1 }, { arbitrary: gen, weight: 3 }) : gen;
}

function generate(s: Schema, resolve: Resolve, depth: number): fc.Arbitrary<unknown> {
  if ('const' in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((a) => valid(a, resolve, depth)));
  if (Array.isArray(s.allOf)) return valid(s.allOf[0] as Schema, resolve, depth);
  const type = Array.isArray(s.type) ? (s.type[0] as string) : (s.type as string | undefined);
  if (depth > 6) return fc.constant(null);
  switch (type) {
    case 'string': return stringFor(s);
    case 'integer': return numberFor(s, true);
    case 'number': return numberFor(s, false);
    case 'boolean': return fc.boolean();
    case 'null': return fc.constant(null);
    case 'array': {
      if (Array.isArray(s.prefixItems)) return fc.tuple(...(s.prefixItems as Schema[]).map((p) => valid(p, resolve, depth + 1)));
      const min = (s.minItems as number | undefined) ?? 0;
      return fc.array(valid((s.items ?? {}) as Schema, resolve, depth + 1), { minLength: min, maxLength: Math.max(min, Math.min((s.maxItems as number | undefined) ?? MAX_ITEMS, MAX_ITEMS)) });
    }
    case 'object': return objectFor(s, resolve, depth);
    default: return fc.jsonValue({ maxDepth: 2 });
  }
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', '$gt', '$where', 'toString', 'hasOwnProperty', '', '字段', '\u0000'];

/** One mistake in an otherwise plausible object: a wrong value, a missing field, an extra or prototype key. */
export function mutate(value: unknown): fc.Arbitrary<unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fc.oneof(wrongValue, fc.constant({ value }));
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  const pick = keys.length ? fc.constantFrom(...keys) : fc.constant('x');
  return fc.oneof(
    fc.tuple(pick, wrongValue).map(([k, v]) => ({ ...obj, [k]: v })),
    pick.map((k) => Object.fromEntries(Object.entries(obj).filter(([key]) => key !== k))),
    fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 10 })), wrongValue).map(([k, v]) => ({ ...obj, [k]: v })),
    fc.tuple(pick, fc.constantFrom(...PROTO_KEYS), wrongValue).map(([k, inner, v]) => ({ ...obj, [k]: { [inner]: v } })),
    fc.constantFrom([obj], JSON.stringify(obj), keys.length, null),
  );
}
