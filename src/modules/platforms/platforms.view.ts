import type { PlatformKey, RiderFacts } from './platforms.types';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** A platform key as administrators see it: never the secret, sealed or not. */
export function keyView(k: PlatformKey) {
  return {
    id: k.id,
    platform: k.platform,
    city: k.city,
    status: k.revokedAt ? ('revoked' as const) : ('active' as const),
    createdBy: k.createdBy,
    createdAt: k.createdAt.toISOString(),
    revokedAt: iso(k.revokedAt),
  };
}

/** What a rider sees of their own verification. */
export function verificationView(f: RiderFacts) {
  return { level: f.level, platform: f.platform, phoneBound: f.phoneBound, attestedAt: iso(f.attestedAt) };
}
