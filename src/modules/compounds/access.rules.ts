import { toMinutes, type TimeRange } from '../../shared/hours';
import type { LocalTime } from '../../shared/time';
import type { RiderFacts } from '../platforms/platforms.types';
import { RIDER_LEVELS, type AccessRules, type RiderLevel } from './compounds.types';

export type { RiderFacts };

/** Whether a local time lies in one of the daily ranges; a range whose close is at or before its open runs past midnight. */
export function withinDailyHours(ranges: readonly TimeRange[] | null, t: LocalTime): boolean {
  if (!ranges) return true;
  return ranges.some((r) => {
    const open = toMinutes(r.open);
    const close = toMinutes(r.close);
    return close > open ? t.minute >= open && t.minute < close : t.minute >= open || t.minute < close;
  });
}

const LEVEL_NAMES: Record<RiderLevel, string> = { none: '未认证', phone: '已绑定手机号', platform: '平台认证' };

/**
 * The rules a rider does not meet, each as a sentence the rider and the manager read. Empty: the rider meets them all.
 * A fact the rules ask for but nobody has attested counts as not met.
 */
export function unmetRules(rules: AccessRules, f: RiderFacts): string[] {
  const unmet: string[] = [];
  if (RIDER_LEVELS.indexOf(f.level) < RIDER_LEVELS.indexOf(rules.minLevel)) unmet.push(`需要${LEVEL_NAMES[rules.minLevel]}（当前：${LEVEL_NAMES[f.level]}）`);
  if (rules.platforms && (!f.platform || !rules.platforms.includes(f.platform))) unmet.push(`仅限以下平台骑手：${rules.platforms.join('、')}`);
  if (rules.minActiveDays !== null && (f.activeDays ?? -1) < rules.minActiveDays) unmet.push(`需连续从业至少 ${rules.minActiveDays} 天`);
  if (rules.minOnTimeRate !== null && (f.onTimeRate ?? -1) < rules.minOnTimeRate) unmet.push(`准时率需不低于 ${Math.round(rules.minOnTimeRate * 100)}%`);
  if (rules.maxAtFaultAccidents !== null && (f.atFaultAccidents ?? Infinity) > rules.maxAtFaultAccidents) unmet.push(`有责事故不能超过 ${rules.maxAtFaultAccidents} 次`);
  if (rules.maxComplaints !== null && (f.complaints ?? Infinity) > rules.maxComplaints) unmet.push(`投诉不能超过 ${rules.maxComplaints} 次`);
  return unmet;
}
