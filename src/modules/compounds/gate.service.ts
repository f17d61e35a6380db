import { createHash, randomBytes } from 'node:crypto';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { maskPhone } from '../../shared/logger';
import type { LimiterStore } from '../../shared/rate-limit';
import { localTime, type Clock } from '../../shared/time';
import { newId } from '../../storage/ids';
import type { IdentityStorage, Rider } from '../identity/identity.types';
import type { Sealer } from '../../shared/sealed';
import { withinDailyHours, type RiderFacts } from './access.rules';
import type { Compound, CompoundsStorage, EntryEvent, EntryMethod, EntryReason, GateDevice, Pass } from './compounds.types';
import { matchTotpStep, parsePassCode, TOTP_PERIOD_S, type PassCodeProblem } from './pass-code';
import { groupCommit } from '../../shared/group-commit';

/** What the QR token service answers (src/modules/gate-keys). */
export interface TokenCheck {
  ok: boolean;
  reason?: string;
  passId?: string;
  compoundId?: string;
  jti?: string;
  exp?: Date;
}

export interface GateDeps {
  storage: CompoundsStorage & IdentityStorage;
  clock: Clock;
  sealer: Sealer;
  verifyToken(token: string, now: Date): Promise<TokenCheck>;
  facts(rider: Rider, now: Date): Promise<RiderFacts>;
  limiterStore: LimiterStore;
  wrongCodesPerMinute: number;
}

/** What one check found: the reason, and the pass and rider once proven; `wrong` counts against the gate's limit. */
interface Outcome {
  reason: EntryReason;
  pass: Pass | null;
  rider: Rider | null;
  wrong: boolean;
  message?: string;
}

/** Who checks at the gate: a guard of the compound, or a gate device issued for it. */
export interface Checker {
  kind: 'staff' | 'device';
  id: string;
}

export interface VerifyInput {
  compound: Compound;
  gateId: string;
  code?: string;
  qr?: string;
}

/** What the guard's phone shows. */
export interface VerifyResult {
  allowed: boolean;
  reason: EntryReason;
  message: string;
  rider: { displayName: string | null; platform: string | null; maskedPhone: string | null; verificationLevel: string } | null;
  pass: { id: string; number: number; validTo: string } | null;
  entryId: string;
}

/** What exactly is wrong with a typed code's format, for the guard. */
const FORMAT_PROBLEMS: Record<PassCodeProblem, string> = {
  empty: '没有输入通行码', non_digit: '通行码只含数字', too_short: '通行码太短：通行证号加 7 位动态码，至少 8 位',
  too_long: '通行码太长：最多 14 位数字', leading_zero: '通行码不以 0 开头，请核对',
};

/** How long a spent QR token or typed code is remembered: past its last accepted moment (exp + leeway, or the next step). */
const SPENT_KEEP_MS = 90_000;

const MESSAGES: Record<EntryReason, string> = {
  ok: '允许进入',
  format: '通行码格式不对：应为通行证号加 7 位动态码（只含数字）',
  unknown_pass: '没有这张通行证',
  wrong_code: '动态码不对或已过期，请让骑手刷新后重试',
  other_compound: '这张通行证不属于本小区',
  unknown_gate: '本小区没有这个门',
  not_yet_valid: '通行证尚未生效',
  expired: '通行证已过期',
  revoked: '通行证已被物业撤销',
  outside_hours: '不在本小区允许骑手进入的时段',
  blocked: '该骑手已被本小区禁止进入',
  rider_suspended: '该骑手账号已被停用',
  replayed: '此码已使用过，请让骑手刷新后出示新码',
  token_invalid: '二维码无效（不是本服务签发或已被改动），请核实骑手身份',
  token_expired: '二维码已过期，请让骑手刷新',
  rate_limited: '错误次数过多，请一分钟后再试',
};

/** A credential for a gate device: shown once; only its hash is stored. */
export function newDeviceToken(): { token: string; hash: string } {
  const token = `gd_${randomBytes(24).toString('base64url')}`;
  return { token, hash: hashDeviceToken(token) };
}

export const hashDeviceToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Gate checks: the typed code or the QR token, then every rule of the pass at this moment; every attempt is recorded. */
export function createGateService(deps: GateDeps) {
  const { storage, clock } = deps;
  const limiter: RateLimiterAbstract = deps.limiterStore.limiter({ keyPrefix: 'gate-wrong', points: deps.wrongCodesPerMinute, duration: 60 });
  // Every check is recorded before it is answered; checks at the same moment share one commit (one fsync).
  const entries = groupCommit<EntryEvent>((es) => storage.entries.recordMany(es));
  const limitKeys = (checker: Checker, compoundId: string, gateId: string) => [`${checker.kind}:${checker.id}`, `gate:${compoundId}:${gateId}`];

  async function exhausted(keys: string[]): Promise<boolean> {
    for (const k of keys) {
      const res = await limiter.get(k);
      if (res && res.consumedPoints >= deps.wrongCodesPerMinute) return true;
    }
    return false;
  }

  async function countWrong(keys: string[]): Promise<void> {
    for (const k of keys) {
      try {
        await limiter.consume(k);
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
      }
    }
  }

  /** The pass's state at `now`, in the order a guard needs to hear it. */
  async function judge(pass: Pass, compound: Compound, now: Date): Promise<{ reason: EntryReason; rider: Rider | null }> {
    const rider = await storage.riders.get(pass.riderId);
    if (pass.compoundId !== compound.id) return { reason: 'other_compound', rider };
    if (pass.status === 'revoked') return { reason: 'revoked', rider };
    if (now < pass.validFrom) return { reason: 'not_yet_valid', rider };
    if (now >= pass.validTo) return { reason: 'expired', rider };
    if (!rider || rider.status !== 'active') return { reason: 'rider_suspended', rider };
    if (await storage.blocks.findActive(pass.riderId, compound.id)) return { reason: 'blocked', rider };
    if (!withinDailyHours(pass.hours, localTime(now))) return { reason: 'outside_hours', rider };
    return { reason: 'ok', rider };
  }

  /** A pass and its rider are named in the answer and the entry only once the code or token proved it is theirs. */
  const unproven = (reason: EntryReason, wrong: boolean, message?: string): Outcome => ({ reason, pass: null, rider: null, wrong, message });

  /** Spends a code or token at its first successful use; false when it was spent already (a replay). */
  const spend = (jti: string, compoundId: string, until: Date) => storage.tokenUses.claim({ jti, compoundId, expiresAt: new Date(until.getTime() + SPENT_KEEP_MS) });

  async function byCode(compound: Compound, code: string, now: Date): Promise<Outcome> {
    const parsed = parsePassCode(code);
    if (!parsed.ok) return unproven('format', true, `通行码格式不对：${FORMAT_PROBLEMS[parsed.problem]}`);
    const pass = await storage.passes.findByNumber(compound.id, parsed.number);
    if (!pass) return unproven('unknown_pass', true);
    const secret = deps.sealer.open(pass.secretSealed, pass.id).toString('utf8');
    const step = matchTotpStep(secret, parsed.totp, now);
    if (step === null) return unproven('wrong_code', true);
    const judged = await judge(pass, compound, now);
    if (judged.reason !== 'ok') return { ...judged, pass, wrong: false };
    // A typed code lets one rider in once: heard or seen, it cannot be used again at this compound.
    const first = await spend(`code:${pass.id}:${step}`, compound.id, new Date((step + 2) * TOTP_PERIOD_S * 1000));
    return { ...judged, reason: first ? 'ok' : 'replayed', pass, wrong: false };
  }

  async function byToken(compound: Compound, token: string, now: Date): Promise<Outcome> {
    const check = await deps.verifyToken(token, now);
    if (!check.ok || !check.passId || !check.jti || !check.exp) {
      // An expired token is a rider's stale screen, not an attack: it does not count against the gate.
      return check.reason === 'expired' ? unproven('token_expired', false) : unproven('token_invalid', true);
    }
    if (check.compoundId !== compound.id) return unproven('other_compound', false);
    const pass = await storage.passes.get(check.passId);
    if (!pass || pass.compoundId !== compound.id) return unproven('unknown_pass', true);
    const judged = await judge(pass, compound, now);
    if (judged.reason !== 'ok') return { ...judged, pass, wrong: false };
    // Spent only when it would let the rider in: a refused token can be shown again once the refusal is fixed.
    const first = await spend(check.jti, compound.id, check.exp);
    return { ...judged, reason: first ? 'ok' : 'replayed', pass, wrong: false };
  }

  return {
    async verify(checker: Checker, input: VerifyInput): Promise<VerifyResult> {
      const now = clock.now();
      const { compound, gateId } = input;
      const method: EntryMethod = input.qr !== undefined ? 'qr' : 'code';
      const keys = limitKeys(checker, compound.id, gateId);
      let outcome: Outcome;
      if (!compound.gates.some((g) => g.id === gateId)) outcome = unproven('unknown_gate', false);
      else if (await exhausted(keys)) outcome = unproven('rate_limited', false);
      else outcome = input.qr !== undefined ? await byToken(compound, input.qr, now) : await byCode(compound, input.code ?? '', now);
      if (outcome.wrong) await countWrong(keys);
      const entry: EntryEvent = {
        id: newId(), compoundId: compound.id, city: compound.city, gateId, at: now, method, allowed: outcome.reason === 'ok',
        reason: outcome.reason, passId: outcome.pass?.id ?? null, riderId: outcome.pass?.riderId ?? null,
        checkedBy: checker.id, checkerKind: checker.kind,
      };
      await entries.add(entry);
      const rider = outcome.rider;
      const facts = rider ? await deps.facts(rider, now) : null;
      return {
        allowed: entry.allowed,
        reason: outcome.reason,
        message: outcome.message ?? MESSAGES[outcome.reason],
        // Who is at the gate, once the code or token proved it is their pass.
        rider: rider ? {
          displayName: rider.displayName, platform: rider.platform, maskedPhone: rider.phone ? maskPhone(rider.phone) : null,
          verificationLevel: facts?.level ?? 'none',
        } : null,
        pass: outcome.pass ? { id: outcome.pass.id, number: outcome.pass.number, validTo: outcome.pass.validTo.toISOString() } : null,
        entryId: entry.id,
      };
    },

    /** The device a gate-device token names, if it is live. */
    async device(token: string): Promise<GateDevice | null> {
      const d = await storage.gateDevices.findByTokenHash(hashDeviceToken(token));
      return d && !d.revokedAt ? d : null;
    },
  };
}

export type GateService = ReturnType<typeof createGateService>;
