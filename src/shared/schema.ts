import { z } from 'zod';
import { HHMM } from './hours';
import { WEEKDAYS } from './time';
import { CITIES } from './domain';

// C0/C1 controls (NUL, ESC, DEL…), the bidi controls that reorder what a reader sees (U+202E "RLO" among them), and
// lone surrogates (half a character: JSON's \ud800 escape decodes to one; no font can show it).
const CONTROLS = /[\p{Cc}\p{Cs}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// Whitespace and characters that draw nothing: zero-width space/joiners, word joiner, BOM, Hangul fillers.
const INVISIBLE = '[\\s\\p{Cf}\\u115F\\u1160\\u3164\\uFFA0]';
const EDGES = new RegExp(`^${INVISIBLE}+|${INVISIBLE}+$`, 'gu');

export interface TextOptions {
  /** Allows line breaks (\n; \r\n is stored as \n), for descriptions. Default false. */
  multiline?: boolean;
}

/**
 * Cleans user text: refuses control and bidi-override characters, trims whitespace and invisible characters at
 * both ends, and caps the length in characters (code points). Returns '' for text that draws nothing.
 */
function cleaned(max: number, opts: TextOptions) {
  // The document shows the limit (in characters, as JSON Schema counts them); the transform enforces it after trimming.
  return z.string().meta({ maxLength: max }).transform((raw, ctx) => {
    const value = opts.multiline ? raw.replace(/\r\n?/g, '\n') : raw;
    if (CONTROLS.test(opts.multiline ? value.replace(/\n/g, '') : value)) {
      ctx.addIssue({ code: 'custom', message: '不能含有控制字符或文字方向控制符' });
      return z.NEVER;
    }
    const trimmed = value.replace(EDGES, '');
    if ([...trimmed].length > max) {
      ctx.addIssue({ code: 'custom', message: `不能超过 ${max} 字` });
      return z.NEVER;
    }
    return trimmed;
  });
}

/** Required user text (see cleaned): text made only of invisible characters is empty, so refused. */
export const text = (max: number, opts: TextOptions = {}) =>
  cleaned(max, opts).refine((t) => t.length > 0, '不能为空');

/** Nullable user text: null, empty or invisible-only text is null (add .default(null) where absent means null). */
export const optionalText = (max: number, opts: TextOptions = {}) =>
  cleaned(max, opts).transform((t) => t || null).nullable();

export const citySchema = z.enum(CITIES, { message: `可选：${CITIES.join(', ')}` });

export const externalIdSchema = text(100).nullable();

export const phoneSchema = z.string().trim().regex(/^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|400-?\d{3}-?\d{4})$/, '电话号码格式不正确');

export const lngLatSchema = z.strictObject({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
});

/** Fields every located aggregate (station, merchant) shares. */
export const placeFields = {
  externalId: externalIdSchema,
  name: text(100),
  city: citySchema,
  district: text(50),
  address: text(200),
  location: lngLatSchema,
};

const timeRange = z
  .strictObject({ open: z.string().regex(HHMM, '时间格式应为 HH:mm'), close: z.string().regex(HHMM, '时间格式应为 HH:mm') })
  .refine((r) => r.open !== r.close, '开门与关门时间不能相同（全天开放请用 kind: "24h"）');

/** Opening hours as stations and merchants (and later compounds) take them: 24h or HH:mm ranges per weekday. */
export const hoursSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('24h') }),
  z.strictObject({
    kind: z.literal('weekly'),
    days: z.strictObject(Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(timeRange).max(4).optional()]))),
  }),
]);
