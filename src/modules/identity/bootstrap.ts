import type { Logger } from '../../shared/logger';
import type { City } from '../../shared/domain';
import type { Staff, IdentityStorage } from './identity.types';
import { emptyHoldings } from './holdings';
import { hashPassword, PASSWORD_RULE } from './passwords';

/** Creates a city administrator with a password, unless the username exists already (then nothing changes). */
export async function createCityAdmin(
  storage: IdentityStorage, input: { username: string; password: string; city: City; displayName?: string }, now: Date,
): Promise<{ created: boolean; staff: Staff }> {
  if (!PASSWORD_RULE.test(input.password)) throw new Error('password must be 10+ characters with letters and digits');
  const existing = await storage.staff.findByUsername(input.username);
  if (existing) return { created: false, staff: existing };
  const staff = await storage.staff.create({
    username: input.username.toLowerCase(), displayName: input.displayName ?? `${input.city === 'chongqing' ? '重庆' : '成都'}市管理员`,
    passwordHash: await hashPassword(input.password), role: 'city_admin', city: input.city,
    ...emptyHoldings(), status: 'active', isDemo: false,
  }, now);
  return { created: true, staff };
}

/** The first administrator from BOOTSTRAP_ADMIN_* settings, created on start if missing. */
export async function ensureBootstrapAdmin(
  storage: IdentityStorage, cfg: { username: string; password: string; city: '' | City }, now: Date, log: Logger,
): Promise<void> {
  if (!cfg.username || !cfg.city) return;
  const { created, staff } = await createCityAdmin(storage, { username: cfg.username, password: cfg.password, city: cfg.city }, now);
  if (created) log.info({ module: 'identity', staffId: staff.id, city: staff.city }, 'bootstrap city administrator created');
}
