import type { City } from '../../shared/domain';
import { NotFoundError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import { isId, newId } from '../../storage/ids';
import type { Actor, Audit } from '../identity/audit';
import type { IdentityStorage, Rider } from '../identity/identity.types';
import { randomToken, sha256 } from '../identity/tokens';
import type { Open311Key, Open311Storage } from './open311.types';

/** Keys start with this, so secret scanners and people can tell one apart from other credentials. */
export const KEY_PREFIX = 'o311_';

/** The openid of the service rider made with a key: not a WeChat openid, so nothing is ever sent to it. */
export const serviceOpenid = (keyId: string): string => `open311:${keyId}`;

/** The one answer for a key that does not exist or is another city's, so a refusal does not tell them apart. */
export const keyNotFound = () => new NotFoundError('Open311 密钥不存在', { field: 'id' });

export interface KeyServiceDeps {
  storage: Open311Storage & Pick<IdentityStorage, 'riders'>;
  clock: Clock;
  audit: Audit;
}

/** City administrators' Open311 keys: issue (shown once, stored as a hash, with its service rider), list, revoke, check. */
export function createKeyService({ storage, clock, audit }: KeyServiceDeps) {
  const repo = storage.open311Keys;
  return {
    async create(actor: Actor, city: City, name: string): Promise<{ key: Open311Key; apiKey: string }> {
      const id = newId();
      const apiKey = `${KEY_PREFIX}${randomToken(32)}`;
      const now = clock.now();
      const key = await audit.within(actor, async () => {
        const { rider } = await storage.riders.findOrCreateByOpenid(serviceOpenid(id), null, now, { displayName: `Open311：${name}`, city });
        return repo.create({ id, city, name, keyHash: sha256(apiKey), riderId: rider.id, createdBy: actor.id, createdAt: now });
      }, (k) => ({ action: 'open311_key.create', objectType: 'open311_key', objectId: k.id, city, summary: { name, riderId: k.riderId } }));
      return { key, apiKey };
    },
    list: (city: City, page: { limit: number; after?: string }): Promise<Open311Key[]> => repo.list({ city, ...page }),
    /** The key with this id; 404 when there is none. */
    async get(id: string): Promise<Open311Key> {
      const key = isId(id) ? await repo.get(id) : null;
      if (!key) throw keyNotFound();
      return key;
    },
    /** Revokes a key at once; revoking it again changes nothing and records nothing. */
    async revoke(actor: Actor, key: Open311Key): Promise<Open311Key> {
      if (key.revokedAt) return key;
      const revoked = await audit.within(actor, () => repo.revoke(key.id, actor.id, clock.now()),
        (k) => (k ? { action: 'open311_key.revoke', objectType: 'open311_key', objectId: key.id, city: key.city, summary: { name: key.name } } : null));
      if (!revoked) throw keyNotFound();
      return revoked;
    },
    /** The live key an api_key names and its service rider; null for an unknown, revoked or malformed key. */
    async check(apiKey: string): Promise<{ key: Open311Key; rider: Rider } | null> {
      if (!apiKey.startsWith(KEY_PREFIX) || apiKey.length > 100) return null;
      const key = await repo.findByHash(sha256(apiKey));
      const rider = key && !key.revokedAt ? await storage.riders.get(key.riderId) : null;
      return key && rider ? { key, rider } : null;
    },
  };
}

export type KeyService = ReturnType<typeof createKeyService>;
