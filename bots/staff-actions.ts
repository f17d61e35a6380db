import type { ApiClient } from './api-client';
import { ApiError, UNAVAILABLE_MESSAGE } from './api-error';
import { formatBound, formatStaffError, formatWhoAmI } from './engine/format-staff';
import type { Action } from './engine/types';
import type { BotLog } from './log';

export type StaffAction = Extract<Action, { kind: 'bind' | 'whoami' }>;

/** Binds the contact with a one-time code, or says which staff account it is bound to; always resolves to a reply. */
export async function runStaffAction(api: ApiClient, log: BotLog, action: StaffAction, contactId: string): Promise<string> {
  try {
    if (action.kind === 'whoami') return formatWhoAmI(await api.whoIs(contactId));
    const staff = await api.bindStaff(action.code, contactId);
    log.info({ module: 'bot', staffId: staff.id, role: staff.role }, 'staff contact bound');
    return formatBound(staff);
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError(UNAVAILABLE_MESSAGE, { status: 0, code: 'unavailable' });
    // A rejected X-Bot-Token is the operator's mistake and affects every staff member: worth an error in the log.
    if (e.status === 401 || e.status === 403) log.error({ module: 'bot', status: e.status, action: action.kind }, 'service refused the bot token');
    else if (e.code !== 'not_configured' && (e.status === 0 || e.status >= 500)) log.warn({ module: 'bot', err, action: action.kind }, 'staff request failed');
    return formatStaffError(e);
  }
}
