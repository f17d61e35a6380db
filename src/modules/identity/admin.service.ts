import type { City } from '../../shared/domain';
import { NotFoundError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import { isId } from '../../storage/ids';
import type { Actor, Audit } from './audit';
import { checkHoldings, type HoldingKind } from './holdings';
import type { AuditQuery, Holdings, IdentityStorage, Rider, RiderProfile, Staff, StaffPatch, StaffRole } from './identity.types';
import type { SessionService } from './sessions.service';
import { humanCode, sha256 } from './tokens';

export interface InvitationInput extends Holdings {
  role: StaffRole;
  expiresInHours?: number;
}

interface Page {
  limit: number;
  after?: string;
}

/** What city administrators do to their city's accounts: invitations, staff, riders, and reading the audit log. */
export function createAdminService(deps: {
  storage: IdentityStorage; clock: Clock; audit: Audit; sessions: SessionService; holdings: readonly HoldingKind[]; invitationTtlHours: number;
}) {
  const { storage, clock, audit } = deps;
  const found = <T>(doc: T | null): T => {
    if (!doc) throw new NotFoundError();
    return doc;
  };

  return {
    /** A one-time invitation code for a new staff member of the administrator's city; only its hash is stored. */
    async invite(actor: Actor, city: City, input: InvitationInput) {
      await checkHoldings(deps.holdings, city, input.role, input);
      const code = humanCode(10);
      const expiresAt = new Date(clock.now().getTime() + (input.expiresInHours ?? deps.invitationTtlHours) * 3_600_000);
      const { expiresInHours: _h, ...payload } = input;
      const made = await audit.within(actor,
        () => storage.codes.create({ kind: 'invitation', codeHash: sha256(code), payload: { ...payload }, city, createdBy: actor.id, expiresAt }, clock.now()),
        (inv) => ({ action: 'invitation.create', objectType: 'invitation', objectId: inv.id, city, summary: payload }));
      return { id: made.id, code, expiresAt: expiresAt.toISOString(), ...payload };
    },
    async invitations(city: City, page: Page) {
      const list = await storage.codes.list({ kind: 'invitation', city, limit: page.limit, after: page.after });
      return list.map((c) => ({
        id: c.id, ...c.payload, expiresAt: c.expiresAt.toISOString(), usedAt: c.usedAt?.toISOString() ?? null, usedBy: c.usedBy, createdBy: c.createdBy,
      }));
    },
    listStaff: (city: City, q: Page & { role?: StaffRole }) => storage.staff.list({ city, role: q.role, limit: q.limit, after: q.after }),
    /** 404 for an id that is not a staff member's. */
    getStaff: async (id: string): Promise<Staff> => found(isId(id) ? await storage.staff.get(id) : null),
    /** Changes a staff member; disabling one ends their sessions at once. */
    async updateStaff(actor: Actor, target: Staff, patch: StaffPatch): Promise<Staff> {
      await checkHoldings(deps.holdings, target.city, target.role, patch);
      const updated = await audit.within(actor,
        async () => found(await storage.staff.update(target.id, patch, clock.now())),
        () => ({ action: 'staff.update', objectType: 'staff', objectId: target.id, city: target.city, summary: patch }));
      if (patch.status === 'disabled') await deps.sessions.endAll('staff', target.id);
      return updated;
    },
    listRiders: (city: City, q: Page & { status?: Rider['status'] }) => storage.riders.list({ city, status: q.status, limit: q.limit, after: q.after }),
    getRider: async (id: string): Promise<Rider> => found(isId(id) ? await storage.riders.get(id) : null),
    /** Verifies or suspends a rider; suspending ends their sessions at once. */
    async updateRider(actor: Actor, city: City, rider: Rider, patch: Partial<Pick<RiderProfile, 'verification' | 'status'>>): Promise<Rider> {
      const updated = await audit.within(actor,
        async () => found(await storage.riders.update(rider.id, patch, clock.now())),
        () => ({ action: 'rider.update', objectType: 'rider', objectId: rider.id, city: rider.city ?? city, summary: patch }));
      if (patch.status === 'suspended') await deps.sessions.endAll('rider', rider.id);
      return updated;
    },
    /** A page of the city's audit log, newest first, with the cursor of the next page. */
    async auditLog(city: City, q: Omit<AuditQuery, 'city'>) {
      const entries = await storage.audit.list({ ...q, city, limit: q.limit + 1 });
      const page = entries.slice(0, q.limit);
      return { entries: page, nextBefore: entries.length > q.limit ? (page[page.length - 1]?.id ?? null) : null };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
