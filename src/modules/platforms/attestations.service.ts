import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import type { createLimiter } from '../../shared/rate-limit';
import type { Sealer } from '../../shared/sealed';
import type { Clock } from '../../shared/time';
import type { StorageBase } from '../../storage/types';
import type { IdentityStorage } from '../identity/identity.types';
import type { Attestation, PlatformKey, PlatformsStorage } from './platforms.types';
import type { AttestationBody } from './platforms.schema';
import { checkTimestamp, SIGNATURE_WINDOW_S, SignatureError, signatureMatches, type SignedHeaders } from './signature';

export interface AttestationServiceDeps {
  storage: PlatformsStorage & Pick<IdentityStorage, 'riders'> & Pick<StorageBase, 'atomically'>;
  clock: Clock;
  sealer: Sealer;
  /** Per key (createLimiter over storage.limiterStore()). */
  limiter: ReturnType<typeof createLimiter>;
  maxAgeDays: number;
}

/** Signed attestations from delivery platforms: who sent it, whether it is genuine and fresh, and what it says. */
export function createAttestationService({ storage, clock, sealer, limiter, maxAgeDays }: AttestationServiceDeps) {
  return {
    /** The live key a request names, if its timestamp is inside the window (before the body is read). */
    async admit(h: SignedHeaders): Promise<PlatformKey> {
      const key = await storage.platformKeys.get(h.keyId);
      if (!key) throw new SignatureError('unknown_key', { header: 'x-platform-key' });
      if (key.revokedAt) throw new SignatureError('key_revoked', { header: 'x-platform-key' });
      checkTimestamp(h.timestamp, clock.now());
      return key;
    },
    /** Checks the signature over the raw body, then spends one of the key's requests and its nonce. */
    async verify(key: PlatformKey, h: SignedHeaders, body: Buffer): Promise<void> {
      const secret = sealer.open(key.sealedSecret, key.id).toString('utf8');
      if (!signatureMatches(secret, h, body)) throw new SignatureError('bad_signature', { header: 'x-signature' });
      await limiter.consume(`key:${key.id}`);
      // Kept until the timestamp is outside the window with room to spare; a replay after that is refused as stale.
      const expiresAt = new Date((h.timestamp + 2 * SIGNATURE_WINDOW_S) * 1000);
      if (!(await storage.platformNonces.claim(key.id, h.nonce, expiresAt))) {
        throw new ConflictError('X-Nonce 已用过：每个请求须用新的随机值', { reason: 'nonce_reused', header: 'x-nonce' });
      }
    },
    /** Stores what the platform says of the rider with this bound phone; the rider's empty platform becomes the key's. */
    async record(key: PlatformKey, body: AttestationBody): Promise<Attestation> {
      const now = clock.now();
      const observedAt = body.observedAt ?? now;
      checkDates(body.activeSince, observedAt, now, maxAgeDays);
      const rider = await storage.riders.findByPhone(body.riderPhone);
      // A key vouches within its own city: riders of another city are answered like unknown phones.
      if (!rider || (rider.city !== null && rider.city !== key.city)) {
        throw new NotFoundError('没有绑定该手机号的骑手', { reason: 'rider_not_found', field: 'riderPhone' });
      }
      return storage.atomically(async () => {
        const made = await storage.attestations.create({
          riderId: rider.id, platform: key.platform, keyId: key.id, activeSince: body.activeSince, onTimeRate: body.onTimeRate,
          atFaultAccidents: body.atFaultAccidents, complaints: body.complaints, observedAt, receivedAt: now,
        });
        if (rider.platform === null) await storage.riders.update(rider.id, { platform: key.platform }, now);
        return made;
      });
    },
  };
}

function checkDates(activeSince: Date, observedAt: Date, now: Date, maxAgeDays: number): void {
  const refuse = (field: string, message: string) => {
    throw new ValidationError(`参数 ${field} 有误：${message}`, { reason: 'invalid_body', fields: [{ field, message }] }, 422);
  };
  if (observedAt.getTime() > now.getTime() + SIGNATURE_WINDOW_S * 1000) refuse('observedAt', '不能晚于当前时间');
  if (now.getTime() - observedAt.getTime() > maxAgeDays * 86_400_000) refuse('observedAt', `早于 ${maxAgeDays} 天前，已不计入`);
  if (activeSince.getTime() > observedAt.getTime()) refuse('activeSince', '不能晚于观察时间（observedAt，缺省为收到时）');
}

export type AttestationService = ReturnType<typeof createAttestationService>;
