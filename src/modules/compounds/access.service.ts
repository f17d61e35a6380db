import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import { isId, newId } from '../../storage/ids';
import type { StorageBase } from '../../storage/types';
import type { Audit, Actor } from '../identity/audit';
import type { IdentityStorage, Rider } from '../identity/identity.types';
import { unmetRules, type RiderFacts } from './access.rules';
import type { AccessRequest, Compound, CompoundsStorage, Pass, RequestStatus } from './compounds.types';

const DAY_MS = 86_400_000;

/** A notice for the outbox: written in the same transaction as the change it tells of. */
export interface Notice {
  type: 'access.requested' | 'access.approved' | 'access.denied' | 'pass.revoked' | 'pass.expiring';
  dedupeId: string;
  recipient: { kind: 'rider' | 'staff'; id: string };
  city: Compound['city'];
  payload: Record<string, unknown>;
}

export interface AccessDeps {
  storage: CompoundsStorage & IdentityStorage & Pick<StorageBase, 'atomically'>;
  clock: Clock;
  audit: Audit;
  /** What the service knows of a rider, for the rules. */
  facts(rider: Rider, now: Date): Promise<RiderFacts>;
  /** Writes notices to the outbox; called inside the transaction of the change. */
  emit(notices: Notice[]): Promise<void>;
  /** A new TOTP secret for the pass with this id, sealed for storage (bound to the id). */
  newSealedSecret(passId: string): string;
  /** Staff ids of the compound's managers, to tell them of a new request. */
  managersOf(compound: Compound): Promise<string[]>;
}

export interface RequestInput {
  compoundId: string;
  reason: string | null;
  durationDays: number;
}

export interface RequestOutcome {
  request: AccessRequest;
  pass: Pass | null;
  /** False when an earlier open request (or a current pass) was returned instead of a new one. */
  created: boolean;
  /** Rules the rider does not meet (shown to the rider when the request waits for the managers). */
  unmet: string[];
}

const CLOSED_REASON = '本小区暂不对骑手开放';

/** Someone decided the request first (grant/deny found it no longer pending): the caller answers what they decided. */
const raced = (err: unknown): boolean => err instanceof ConflictError && (err.details as { reason?: string } | undefined)?.reason === 'already_decided';

/** Access requests and passes: what riders ask for and managers decide, with the outbox notices both produce. */
export function createAccessService(deps: AccessDeps) {
  const { storage, clock } = deps;

  async function compoundOf(id: string): Promise<Compound> {
    const c = isId(id) ? await storage.compounds.get(id) : null;
    if (!c) throw new NotFoundError(`小区 ${id} 不存在`, { field: 'compoundId' });
    return c;
  }

  async function requestOf(id: string): Promise<AccessRequest> {
    const r = isId(id) ? await storage.accessRequests.get(id) : null;
    if (!r) throw new NotFoundError(`申请 ${id} 不存在`, { field: 'id' });
    return r;
  }

  const decisionNotice = (r: AccessRequest, c: Compound, pass: Pass | null): Notice => ({
    type: r.status === 'approved' ? 'access.approved' : 'access.denied',
    dedupeId: `${r.status === 'approved' ? 'access.approved' : 'access.denied'}:${r.id}`,
    recipient: { kind: 'rider', id: r.riderId },
    city: c.city,
    payload: {
      requestId: r.id, compoundId: c.id, compoundName: c.name, passId: pass?.id ?? null,
      validTo: pass?.validTo.toISOString() ?? null, reason: r.status === 'denied' ? r.decisionNote : null,
    },
  });

  /** Creates the pass and marks the request approved, with its notice: call inside a transaction. */
  async function grant(r: AccessRequest, c: Compound, days: number, by: string, now: Date): Promise<{ request: AccessRequest; pass: Pass }> {
    const rider = await storage.riders.get(r.riderId);
    if (!rider || rider.status !== 'active') throw new ConflictError('该骑手账号已被停用，不能批准', { reason: 'rider_suspended' });
    const block = await storage.blocks.findActive(r.riderId, c.id);
    if (block) throw new ConflictError(`该骑手已被本小区禁止进入：${block.reason}`, { reason: 'blocked' });
    const passId = newId();
    const pass = await storage.passes.create({
      id: passId, compoundId: c.id, city: c.city, riderId: r.riderId, requestId: r.id,
      validFrom: now, validTo: new Date(now.getTime() + days * DAY_MS), hours: c.policy.rules.hours,
      secretSealed: deps.newSealedSecret(passId), status: 'active', revokedAt: null, revokedBy: null, revokeReason: null,
      expiryNoticeAt: null, createdAt: now, updatedAt: now,
    });
    const decided = await storage.accessRequests.decide(r.id, { status: 'approved', decidedBy: by, decidedAt: now, decisionNote: null, passId: pass.id });
    // Someone decided first: undo this transaction (the pass with it); the caller answers with what they decided.
    if (!decided) throw new ConflictError('该申请已被处理', { reason: 'already_decided' });
    await deps.emit([decisionNotice(decided, c, pass)]);
    return { request: decided, pass };
  }

  async function deny(r: AccessRequest, c: Compound, reason: string, by: string, now: Date): Promise<AccessRequest> {
    const decided = await storage.accessRequests.decide(r.id, { status: 'denied', decidedBy: by, decidedAt: now, decisionNote: reason, passId: null });
    if (!decided) throw new ConflictError('该申请已被处理', { reason: 'already_decided' });
    await deps.emit([decisionNotice(decided, c, null)]);
    return decided;
  }

  /** What a decision call answers when the request was decided already: the same for the same decision, else 409. */
  async function settled(r: AccessRequest, wanted: RequestStatus): Promise<{ request: AccessRequest; pass: Pass | null }> {
    if (r.status !== wanted) throw new ConflictError(r.status === 'approved' ? '该申请已被批准' : '该申请已被拒绝', { status: r.status });
    return { request: r, pass: r.passId ? await storage.passes.get(r.passId) : null };
  }

  return {
    compoundOf,
    requestOf,

    /** A rider asks to enter a compound: decided at once when the policy or a block decides it, else queued. */
    async request(rider: Rider, input: RequestInput): Promise<RequestOutcome> {
      const c = await compoundOf(input.compoundId);
      const now = clock.now();
      const existing = async (): Promise<RequestOutcome | null> => {
        const current = await storage.passes.findCurrent(rider.id, c.id, now);
        if (current) return { request: await requestOf(current.requestId), pass: current, created: false, unmet: [] };
        const open = await storage.accessRequests.findPending(rider.id, c.id);
        return open ? { request: open, pass: null, created: false, unmet: [] } : null;
      };
      const before = await existing();
      if (before) return before;
      const days = Math.min(input.durationDays, c.policy.rules.maxPassDays);
      const facts = await deps.facts(rider, now);
      const unmet = unmetRules(c.policy.rules, facts);
      const block = await storage.blocks.findActive(rider.id, c.id);
      const request: AccessRequest = {
        id: newId(), compoundId: c.id, city: c.city, riderId: rider.id, reason: input.reason, durationDays: days, status: 'pending',
        decidedBy: null, decidedAt: null, decisionNote: null, passId: null, createdAt: now, updatedAt: now,
      };
      // Closed or blocked: the same answer again, not a new request (and notice) for every tap.
      if (block || c.policy.mode === 'closed') {
        const recent = await storage.accessRequests.list({ compoundIds: [c.id], riderId: rider.id, status: 'denied', createdSince: new Date(now.getTime() - DAY_MS), limit: 1 });
        if (recent[0]) return { request: recent[0], pass: null, created: false, unmet };
      }
      return storage.atomically(async () => {
        // Checked again inside the transaction: two taps at once make one request.
        const raced = await existing();
        if (raced) return raced;
        const created = await storage.accessRequests.create(request);
        if (block) return { request: await deny(created, c, `已被本小区禁止进入：${block.reason}`, 'auto', now), pass: null, created: true, unmet };
        if (c.policy.mode === 'closed') return { request: await deny(created, c, CLOSED_REASON, 'auto', now), pass: null, created: true, unmet };
        if (c.policy.mode === 'auto' && unmet.length === 0) return { ...(await grant(created, c, days, 'auto', now)), created: true, unmet };
        const managers = await deps.managersOf(c);
        await deps.emit(managers.map((id) => ({
          type: 'access.requested' as const, dedupeId: `access.requested:${created.id}:${id}`, recipient: { kind: 'staff' as const, id }, city: c.city,
          payload: { requestId: created.id, compoundId: c.id, compoundName: c.name, riderName: rider.displayName, durationDays: days, unmet },
        })));
        return { request: created, pass: null, created: true, unmet };
      });
    },

    /** A manager approves; durationDays may shorten what was asked. Approving an approved request answers it again. */
    async approve(actor: Actor, id: string, durationDays?: number): Promise<{ request: AccessRequest; pass: Pass | null }> {
      const r = await requestOf(id);
      if (r.status !== 'pending') return settled(r, 'approved');
      if (durationDays !== undefined && durationDays > r.durationDays) {
        throw new ValidationError(`批准天数不能超过申请的 ${r.durationDays} 天`, [{ field: 'durationDays', max: r.durationDays }], 422);
      }
      const c = await compoundOf(r.compoundId);
      const now = clock.now();
      try {
        return await deps.audit.within(actor, () => grant(r, c, durationDays ?? r.durationDays, actor.id, now), (g) => ({
          action: 'access.approve', objectType: 'access_request', objectId: r.id, city: c.city, summary: { passId: g.pass.id, days: durationDays ?? r.durationDays },
        }));
      } catch (err) {
        if (raced(err)) return settled(await requestOf(id), 'approved');
        throw err;
      }
    },

    async deny(actor: Actor, id: string, reason: string): Promise<AccessRequest> {
      const r = await requestOf(id);
      if (r.status !== 'pending') return (await settled(r, 'denied')).request;
      const c = await compoundOf(r.compoundId);
      try {
        return await deps.audit.within(actor, () => deny(r, c, reason, actor.id, clock.now()), () => ({
          action: 'access.deny', objectType: 'access_request', objectId: r.id, city: c.city, summary: { reason },
        }));
      } catch (err) {
        if (raced(err)) return (await settled(await requestOf(id), 'denied')).request;
        throw err;
      }
    },

    /** Revokes a pass with a reason the rider sees; revoking a revoked pass is a 409 naming when. */
    async revoke(actor: Actor, pass: Pass, reason: string): Promise<Pass> {
      const c = await compoundOf(pass.compoundId);
      const now = clock.now();
      return deps.audit.within(actor, async () => {
        const revoked = await storage.passes.revoke(pass.id, actor.id, reason, now);
        if (!revoked) throw new ConflictError('该通行证已被撤销', { revokedAt: pass.revokedAt?.toISOString() ?? null });
        await deps.emit([revokedNotice(revoked, c)]);
        return revoked;
      }, () => ({ action: 'pass.revoke', objectType: 'pass', objectId: pass.id, city: c.city, summary: { reason, riderId: pass.riderId } }));
    },

    /** Keeps a rider out of the compound: their passes there are revoked, with a notice each. */
    async block(actor: Actor, c: Compound, riderId: string, reason: string) {
      const rider = isId(riderId) ? await storage.riders.get(riderId) : null;
      if (!rider) throw new NotFoundError(`骑手 ${riderId} 不存在`, { field: 'riderId' });
      const now = clock.now();
      return deps.audit.within(actor, async () => {
        const block = await storage.blocks.create({
          id: newId(), compoundId: c.id, city: c.city, riderId, reason, createdBy: actor.id, createdAt: now, liftedAt: null, liftedBy: null,
        });
        const revoked = await storage.passes.revokeAllOf(riderId, c.id, actor.id, `已被本小区禁止进入：${reason}`, now);
        await deps.emit(revoked.map((p) => revokedNotice(p, c)));
        const pending = await storage.accessRequests.findPending(riderId, c.id);
        if (pending) await deny(pending, c, `已被本小区禁止进入：${reason}`, actor.id, now);
        return { block, revokedPasses: revoked.length };
      }, (b) => ({ action: 'compound.block', objectType: 'compound', objectId: c.id, city: c.city, summary: { riderId, reason, revokedPasses: b.revokedPasses } }));
    },

    async lift(actor: Actor, c: Compound, blockId: string) {
      return deps.audit.within(actor, async () => {
        const lifted = isId(blockId) ? await storage.blocks.lift(blockId, actor.id, clock.now()) : null;
        if (!lifted || lifted.compoundId !== c.id) throw new NotFoundError(`禁止记录 ${blockId} 不存在或已解除`, { field: 'blockId' });
        return lifted;
      }, (b) => ({ action: 'compound.unblock', objectType: 'compound', objectId: c.id, city: c.city, summary: { riderId: b.riderId } }));
    },

    /** The rider's own pass; another rider's is a 404, as if it did not exist. */
    async ownPass(riderId: string, passId: string): Promise<Pass> {
      const p = isId(passId) ? await storage.passes.get(passId) : null;
      if (!p || p.riderId !== riderId) throw new NotFoundError(`通行证 ${passId} 不存在`, { field: 'id' });
      return p;
    },

    /** Writes pass-expiring notices for active passes that end within `withinMs`; returns how many. */
    async noticeExpiring(withinMs: number, limit = 200): Promise<number> {
      const now = clock.now();
      const passes = await storage.passes.expiringWithoutNotice(now, new Date(now.getTime() + withinMs), limit);
      let n = 0;
      for (const p of passes) {
        const c = await storage.compounds.get(p.compoundId);
        if (!c) continue;
        const marked = await storage.atomically(async () => {
          if (!(await storage.passes.markExpiryNotice(p.id, now))) return false;
          await deps.emit([{
            type: 'pass.expiring', dedupeId: `pass.expiring:${p.id}`, recipient: { kind: 'rider', id: p.riderId }, city: c.city,
            payload: { passId: p.id, compoundId: c.id, compoundName: c.name, validTo: p.validTo.toISOString() },
          }]);
          return true;
        });
        if (marked) n++;
      }
      return n;
    },
  };
}

function revokedNotice(p: Pass, c: Compound): Notice {
  return {
    type: 'pass.revoked', dedupeId: `pass.revoked:${p.id}`, recipient: { kind: 'rider', id: p.riderId }, city: c.city,
    payload: { passId: p.id, compoundId: c.id, compoundName: c.name, reason: p.revokeReason },
  };
}

/** Refuses a rider who may not ask for access at all (suspended accounts). */
export function assertRiderMayRequest(rider: Rider): void {
  if (rider.status !== 'active') throw new ForbiddenError('账号已被停用，请联系社工部', { reason: 'suspended' });
}

export type AccessService = ReturnType<typeof createAccessService>;
