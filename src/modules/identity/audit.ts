import { maskPhone } from '../../shared/logger';
import type { Clock } from '../../shared/time';
import type { StorageBase } from '../../storage/types';
import type { AuditEntry, IdentityStorage, StaffRole } from './identity.types';
import type { City } from '../../shared/domain';

export interface AuditEvent {
  action: string;
  objectType: string;
  objectId: string | null;
  city: City | null;
  summary: Record<string, unknown>;
}

const SECRET_KEYS = /password|secret|token|code/i;

/** Masks phone numbers and drops secrets anywhere in a change summary. */
export function redact(value: unknown): unknown {
  if (typeof value === 'string') return maskPhone(value);
  if (Array.isArray(value)) return value.map(redact);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v)]));
  }
  return value;
}

/** Who did it: a staff member, and the request it came with (to find the log lines). */
export interface Actor {
  id: string;
  role: StaffRole;
  requestId: string;
}

/** Records staff mutations: who, role, what, which object, a summary of the change, when and the request id. */
export function createAudit(storage: IdentityStorage & Pick<StorageBase, 'atomically'>, clock: Clock) {
  const record = (actor: Actor, e: AuditEvent): Promise<AuditEntry> => storage.audit.append({
    at: clock.now(), actorId: actor.id, actorRole: actor.role, city: e.city, action: e.action, objectType: e.objectType,
    objectId: e.objectId, summary: redact(e.summary) as Record<string, unknown>, requestId: actor.requestId,
  });
  return {
    record,
    /** Runs a mutation and records its event in the same transaction: both are written, or neither. */
    within<T>(actor: Actor, mutate: () => Promise<T>, event: (result: T) => AuditEvent | null): Promise<T> {
      return storage.atomically(async () => {
        const result = await mutate();
        const e = event(result);
        if (e) await record(actor, e);
        return result;
      });
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;
