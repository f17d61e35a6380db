import { UnauthorizedError } from '../../shared/errors';
import type { Clock } from '../../shared/time';
import type { SubjectType, IdentityStorage } from './identity.types';
import { randomToken, sha256, TokenSigner } from './tokens';

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresAt: string;
}

/**
 * Logins as server-side sessions. The refresh token is "<sessionId>.<secret>" and only its hash is stored; each use
 * rotates it, and presenting a rotated-away one (a stolen copy, or the thief racing the owner) ends the whole session.
 * A secret that never belonged to the session is refused without touching it: session ids appear in every access
 * token, so guessing one must not be enough to log its owner out.
 */
export function createSessionService(deps: { storage: IdentityStorage; signer: TokenSigner; clock: Clock; refreshTtlDays: number }) {
  const { storage, signer, clock } = deps;
  const ttlMs = deps.refreshTtlDays * 86_400_000;

  async function pair(subjectType: SubjectType, subjectId: string, sessionId: string, refreshToken: string, expiresAt: Date): Promise<TokenPair> {
    const accessToken = await signer.sign({ sub: subjectId, typ: subjectType, sid: sessionId }, clock.now());
    return { tokenType: 'Bearer', accessToken, expiresIn: signer.ttlSeconds, refreshToken, refreshExpiresAt: expiresAt.toISOString() };
  }

  return {
    /**
     * A new login. `sessionTtlSeconds` shortens the session below the refresh lifetime: a bot session lasts as long
     * as its access token (the bot starts another when it runs out), so no long-lived session is left behind.
     */
    async start(subjectType: SubjectType, subjectId: string, opts: { sessionTtlSeconds?: number } = {}): Promise<TokenPair> {
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + (opts.sessionTtlSeconds === undefined ? ttlMs : opts.sessionTtlSeconds * 1000));
      const placeholder = sha256(randomToken());
      const session = await storage.sessions.create({ subjectType, subjectId, refreshHash: placeholder, expiresAt }, now);
      const refreshToken = `${session.id}.${randomToken()}`;
      await storage.sessions.rotate(session.id, placeholder, sha256(refreshToken), expiresAt, now);
      return pair(subjectType, subjectId, session.id, refreshToken, expiresAt);
    },

    async refresh(refreshToken: string): Promise<TokenPair & { subjectType: SubjectType; userId: string }> {
      const now = clock.now();
      const sessionId = refreshToken.split('.')[0] ?? '';
      const session = await storage.sessions.get(sessionId);
      if (!session || session.revokedAt || session.expiresAt <= now) throw new UnauthorizedError('刷新令牌无效或已过期，请重新登录');
      const hash = sha256(refreshToken);
      if (session.refreshHash !== hash) {
        if (!session.previousHashes.includes(hash)) throw new UnauthorizedError('刷新令牌无效或已过期，请重新登录', { reason: 'invalid' });
        await storage.sessions.revoke(session.id, now);
        throw new UnauthorizedError('刷新令牌已被使用过，为安全起见本次登录已失效，请重新登录', { reason: 'refresh_reused' });
      }
      const next = `${session.id}.${randomToken()}`;
      const expiresAt = new Date(now.getTime() + ttlMs);
      if (!(await storage.sessions.rotate(session.id, hash, sha256(next), expiresAt, now))) {
        // Someone rotated this very token a moment ago: the owner and a thief racing. End the session.
        await storage.sessions.revoke(session.id, now);
        throw new UnauthorizedError('刷新令牌已被使用过，为安全起见本次登录已失效，请重新登录', { reason: 'refresh_reused' });
      }
      const tokens = await pair(session.subjectType, session.subjectId, session.id, next, expiresAt);
      return { ...tokens, subjectType: session.subjectType, userId: session.subjectId };
    },

    async end(sessionId: string): Promise<void> {
      await storage.sessions.revoke(sessionId, clock.now());
    },

    async endAll(subjectType: SubjectType, subjectId: string): Promise<number> {
      return storage.sessions.revokeAllFor(subjectType, subjectId, clock.now());
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
