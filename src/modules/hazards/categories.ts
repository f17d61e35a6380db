import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** 三事分流: 大事 to government departments, 小事 to community negotiation, 私事 to residents themselves. */
export const HAZARD_CLASSES = ['大事', '小事', '私事'] as const;
export type HazardClass = (typeof HAZARD_CLASSES)[number];

/** Who fixes a kind of hazard. 物业 means the property manager of the compound the point lies in or near. */
export const BODY_TYPES = ['城管', '交通', '水务', '供电', '园林', '消防', '社区', '物业'] as const;
export type BodyType = (typeof BODY_TYPES)[number];

/** States a report waits in, each with the time its category allows there before it is overdue. */
export const TIMED_STATES = ['submitted', 'triaged', 'in_progress'] as const;
export type TimedState = (typeof TIMED_STATES)[number];

const categorySchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z_]{1,31}$/),
  name: z.string().min(1).max(20),
  description: z.string().min(1).max(200),
  class: z.enum(HAZARD_CLASSES),
  bodyType: z.enum(BODY_TYPES),
  keywords: z.array(z.string().min(1).max(10)).max(30),
  /** Hours allowed in each state. */
  hours: z.strictObject({ submitted: z.number().positive(), triaged: z.number().positive(), in_progress: z.number().positive() }),
});

export type HazardCategory = z.infer<typeof categorySchema>;

const FILE = path.resolve(__dirname, '../../../config/hazard-categories.json');
const FILE_FROM_DIST = path.resolve(__dirname, '../../../../config/hazard-categories.json');

/** The categories from config/hazard-categories.json, checked at start: a bad file stops the service with its problem. */
function load(): readonly HazardCategory[] {
  const file = fs.existsSync(FILE) ? FILE : FILE_FROM_DIST;
  const parsed = z.array(categorySchema).min(1).safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  const codes = parsed.data.map((c) => c.code);
  if (new Set(codes).size !== codes.length) throw new Error(`${file}: category codes must be unique`);
  if (!codes.includes('other')) throw new Error(`${file}: a category "other" is required`);
  return Object.freeze(parsed.data.map((c) => Object.freeze(c)));
}

export const HAZARD_CATEGORIES: readonly HazardCategory[] = load();
export const CATEGORY_CODES = HAZARD_CATEGORIES.map((c) => c.code) as [string, ...string[]];

export const categoryOf = (code: string): HazardCategory | undefined => HAZARD_CATEGORIES.find((c) => c.code === code);

/** The category free text most likely means (most keyword hits, then the earlier category), or 'other'. */
export function matchCategory(text: string): HazardCategory {
  const t = text.normalize('NFKC');
  let best: HazardCategory | undefined;
  let hits = 0;
  for (const c of HAZARD_CATEGORIES) {
    const n = c.keywords.filter((k) => t.includes(k)).length + (t.includes(c.name) ? 2 : 0);
    if (n > hits) [best, hits] = [c, n];
  }
  return best ?? (categoryOf('other') as HazardCategory);
}
