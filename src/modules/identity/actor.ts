import type { Context } from 'koa';
import type { Actor } from './audit';
import type { Staff } from './identity.types';
import { requireStaff } from './policy';

/** The audit actor of a request: the logged-in staff member, or `who` where the caller is not logged in (bot, invitation). */
export function actorOf(ctx: Context, who?: Pick<Staff, 'id' | 'role'>): Actor {
  const p = who ?? requireStaff(ctx.state.principal);
  return { id: p.id, role: p.role, requestId: ctx.state.requestId };
}
