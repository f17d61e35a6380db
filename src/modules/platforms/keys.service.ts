import type { City } from '../../shared/domain';
import { NotFoundError } from '../../shared/errors';
import type { Sealer } from '../../shared/sealed';
import type { Clock } from '../../shared/time';
import { isId, newId } from '../../storage/ids';
import type { Actor, Audit } from '../identity/audit';
import type { Platform } from '../identity/identity.types';
import type { PlatformKey, PlatformsStorage } from './platforms.types';
import { newKeySecret } from './signature';

/** The one answer for a key that does not exist or is another city's, so a refusal does not tell them apart. */
export const keyNotFound = () => new NotFoundError('平台密钥不存在', { field: 'id' });

export interface KeyServiceDeps {
  storage: Pick<PlatformsStorage, 'platformKeys'>;
  clock: Clock;
  audit: Audit;
  sealer: Sealer;
}

/** City administrators' platform keys: register (the secret is shown once and stored sealed), list, revoke. */
export function createKeyService({ storage, clock, audit, sealer }: KeyServiceDeps) {
  const repo = storage.platformKeys;
  return {
    async create(actor: Actor, city: City, platform: Platform): Promise<{ key: PlatformKey; secret: string }> {
      const id = newId();
      const secret = newKeySecret();
      const key = await audit.within(actor,
        () => repo.create({ id, platform, city, sealedSecret: sealer.seal(secret, id), createdBy: actor.id, createdAt: clock.now() }),
        (k) => ({ action: 'platform_key.create', objectType: 'platform_key', objectId: k.id, city, summary: { platform } }));
      return { key, secret };
    },
    list: (city: City, page: { limit: number; after?: string }): Promise<PlatformKey[]> => repo.list({ city, ...page }),
    /** The key with this id; 404 when there is none. */
    async get(id: string): Promise<PlatformKey> {
      const key = isId(id) ? await repo.get(id) : null;
      if (!key) throw keyNotFound();
      return key;
    },
    /** Revokes a key at once; revoking it again changes nothing and records nothing. */
    async revoke(actor: Actor, key: PlatformKey): Promise<PlatformKey> {
      if (key.revokedAt) return key;
      const revoked = await audit.within(actor, () => repo.revoke(key.id, actor.id, clock.now()),
        (k) => (k ? { action: 'platform_key.revoke', objectType: 'platform_key', objectId: key.id, city: key.city, summary: { platform: key.platform } } : null));
      if (!revoked) throw keyNotFound();
      return revoked;
    },
  };
}

export type KeyService = ReturnType<typeof createKeyService>;
