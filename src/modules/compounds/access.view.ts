import { maskPhone } from '../../shared/logger';
import type { Rider } from '../identity/identity.types';
import type { AccessRequest, Block, Compound, EntryEvent, GateDevice, Pass } from './compounds.types';

export function requestView(r: AccessRequest, opts: { now: Date; overdueMs: number; compound?: Compound | null; rider?: Rider | null }) {
  return {
    id: r.id,
    compoundId: r.compoundId,
    compoundName: opts.compound?.name ?? null,
    riderId: r.riderId,
    // Managers see who asks (phone masked); riders see their own request.
    rider: opts.rider ? { displayName: opts.rider.displayName, platform: opts.rider.platform, maskedPhone: opts.rider.phone ? maskPhone(opts.rider.phone) : null } : null,
    reason: r.reason,
    durationDays: r.durationDays,
    status: r.status,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedBy === 'auto' ? 'auto' : r.decidedBy ? 'manager' : null,
    decisionNote: r.decisionNote,
    passId: r.passId,
    overdue: r.status === 'pending' && opts.now.getTime() - r.createdAt.getTime() > opts.overdueMs,
    createdAt: r.createdAt.toISOString(),
  };
}

/** A pass as its rider and the managers see it; never its secret. */
export function passView(p: Pass, now: Date, compound?: Compound | null) {
  return {
    id: p.id,
    number: p.number,
    compoundId: p.compoundId,
    compoundName: compound?.name ?? null,
    riderId: p.riderId,
    validFrom: p.validFrom.toISOString(),
    validTo: p.validTo.toISOString(),
    hours: p.hours,
    status: p.status,
    current: p.status === 'active' && p.validFrom <= now && now < p.validTo,
    revokedAt: p.revokedAt?.toISOString() ?? null,
    revokeReason: p.revokeReason,
  };
}

export const entryView = (e: EntryEvent) => ({
  id: e.id, gateId: e.gateId, at: e.at.toISOString(), method: e.method, allowed: e.allowed, reason: e.reason,
  passId: e.passId, riderId: e.riderId, checkerKind: e.checkerKind,
});

export const blockView = (b: Block) => ({
  id: b.id, compoundId: b.compoundId, riderId: b.riderId, reason: b.reason, createdAt: b.createdAt.toISOString(),
  liftedAt: b.liftedAt?.toISOString() ?? null,
});

export const deviceView = (d: GateDevice) => ({
  id: d.id, compoundId: d.compoundId, name: d.name, createdAt: d.createdAt.toISOString(), revokedAt: d.revokedAt?.toISOString() ?? null,
});
