import { z } from 'zod';
import { queryInt } from '../../shared/validate';
import { PLATFORMS } from '../identity/identity.types';

/** A mainland China mobile number as WeChat gives a bound phone (purePhoneNumber): 11 digits, 1[3-9]… */
export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

const count = z.number({ error: '必须是整数' }).int('必须是整数').min(0, '不能小于 0').max(1_000_000, '不能大于 1000000');
// A bare date is a day in Asia/Shanghai (midnight +08:00); a time must say its offset.
const dateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: '须为 ISO 日期（2025-03-01）或带时区的时间' })
  .transform((v) => new Date(v.length === 10 ? `${v}T00:00:00+08:00` : v));

/** What a platform's server sends about one rider (the body it signs). */
export const attestationBody = z.strictObject({
  riderPhone: z.string().regex(MAINLAND_MOBILE, '须为 11 位中国大陆手机号，如 13800138000'),
  activeSince: dateOrTime,
  onTimeRate: z.number({ error: '必须是 0 到 1 之间的小数，如 0.97' }).min(0, '不能小于 0').max(1, '不能大于 1（0.97 表示 97%）'),
  atFaultAccidents: count,
  complaints: count,
  observedAt: z.iso.datetime({ offset: true, error: '须为带时区的 ISO 时间' }).transform((v) => new Date(v)).optional(),
});
export type AttestationBody = z.output<typeof attestationBody>;

export const keyBody = z.strictObject({ platform: z.enum(PLATFORMS, { message: `可选：${PLATFORMS.join('、')}` }) });

export const keyPage = z.strictObject({
  limit: queryInt(1, 200).default(50),
  after: z.string().regex(/^[0-9a-f]{24}$/, '不是有效的 id').optional(),
});
