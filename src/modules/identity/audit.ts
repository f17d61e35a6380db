import type { Context } from 'koa';
import { maskPhone } from '../../shared/logger';
import type { Clock } from '../../shared/time';
import type { AuditEntry, Staff, IdentityStorage } from './identity.types';
import type { City } from '../../shared/domain';
import { requireStaff } from './policy';

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

/** Records staff mutations: who, role, what, which object, a summary of the change, when and the request id. */
export function createAudit(storage: IdentityStorage, clock: Clock) {
  return {
    /** Records a mutation by the logged-in staff member, or by `actor` where the caller is not logged in (bot, invitation). */
    async record(ctx: Context, e: AuditEvent, actor?: Pick<Staff, 'id' | 'role'>): Promise<AuditEntry> {
      const p = actor ?? requireStaff(ctx.state.principal);
      return storage.audit.append({
        at: clock.now(), actorId: p.id, actorRole: p.role, city: e.city, action: e.action, objectType: e.objectType,
        objectId: e.objectId, summary: redact(e.summary) as Record<string, unknown>, requestId: ctx.state.requestId,
      });
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;
