import { NotFoundError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import { isId } from '../../storage/ids';
import type { IdentityStorage, Rider } from '../identity/identity.types';
import { ACCESS_LEVELS, type AccessLevel, type Attestation, type PlatformsStorage, type RiderFacts } from './platforms.types';

const DAY_MS = 86_400_000;
const VOUCHED = new Set<Rider['verification']>(['platform_verified', 'admin_verified']);

/** Whether a level is at least the required one (none < phone < platform). */
export function levelAtLeast(level: AccessLevel, required: AccessLevel): boolean {
  return ACCESS_LEVELS.indexOf(level) >= ACCESS_LEVELS.indexOf(required);
}

/** Whether an attestation still counts at `now`: observed at most maxAgeMs before. */
export function isCurrent(a: Attestation | null, now: Date, maxAgeMs: number): a is Attestation {
  return !!a && now.getTime() - a.observedAt.getTime() <= maxAgeMs;
}

/**
 * The level and facts of a rider: 'platform' when a current attestation or the stored verification
 * (platform_verified, admin_verified) vouches for them, else 'phone' with a bound phone, else 'none'.
 */
export function deriveFacts(rider: Pick<Rider, 'phone' | 'platform' | 'verification'>, latest: Attestation | null, now: Date, maxAgeMs: number): RiderFacts {
  const phoneBound = rider.phone !== null;
  const a = isCurrent(latest, now, maxAgeMs) ? latest : null;
  const level: AccessLevel = a || VOUCHED.has(rider.verification) ? 'platform' : phoneBound ? 'phone' : 'none';
  return {
    level,
    platform: a?.platform ?? rider.platform,
    phoneBound,
    activeSince: a?.activeSince ?? null,
    activeDays: a ? Math.max(0, Math.floor((a.observedAt.getTime() - a.activeSince.getTime()) / DAY_MS)) : null,
    onTimeRate: a?.onTimeRate ?? null,
    atFaultAccidents: a?.atFaultAccidents ?? null,
    complaints: a?.complaints ?? null,
    attestedAt: a?.observedAt ?? null,
  };
}

export interface PlatformServiceDeps {
  storage: Pick<PlatformsStorage, 'attestations'> & Pick<IdentityStorage, 'riders'>;
  clock: Clock;
  config: { platforms: { attestationMaxAgeDays: number } };
}

/** What delivery platforms vouch for: each rider's level and attested facts, for access rules and the rider. */
export function createPlatformService({ storage, clock, config }: PlatformServiceDeps) {
  const maxAgeMs = config.platforms.attestationMaxAgeDays * DAY_MS;
  const factsFor = async (rider: Rider, now: Date = clock.now()): Promise<RiderFacts> =>
    deriveFacts(rider, await storage.attestations.latestFor(rider.id), now, maxAgeMs);
  return {
    factsFor,
    /** The facts of the rider with this id at `now`; 404 (rider_not_found) when there is none. */
    async riderFacts(riderId: string, now: Date = clock.now()): Promise<RiderFacts> {
      const rider = isId(riderId) ? await storage.riders.get(riderId) : null;
      if (!rider) throw new NotFoundError('骑手不存在', { reason: 'rider_not_found' });
      return factsFor(rider, now);
    },
  };
}

export type PlatformService = ReturnType<typeof createPlatformService>;
