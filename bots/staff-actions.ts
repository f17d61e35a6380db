import type { ApiClient, Contact } from './api-client';
import type { StationDetail } from './api-contract';
import type { ApiResults, ApiRequest } from './engine/types';
import type { BotLog } from './log';

type Performer<O extends keyof ApiResults> = (api: ApiClient, r: Extract<ApiRequest, { op: O }>, contact: Contact, log: BotLog) => Promise<ApiResults[O]>;

/** Several look-ups at once; the ones that fail are left out (a name in a list is a nicety, not the answer). */
async function settled<T>(calls: Array<Promise<T>>): Promise<T[]> {
  return (await Promise.allSettled(calls)).flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

/** Binds the contact with a one-time code; the code itself is never logged. */
export const bind: Performer<'bind'> = async (api, r, contact, log) => {
  const staff = await api.bindStaff(r.code, contact.contactId);
  log.info({ module: 'bot', staffId: staff.id, role: staff.role }, 'staff contact bound');
  return staff;
};

export const stationsById: Performer<'stationsById'> = (api, r) => settled<StationDetail>(r.ids.map((id) => api.station(id)));
export const compoundsById: Performer<'compoundsById'> = (api, r) => settled(r.ids.map((id) => api.compound(id)));

/** The sender's passes valid now, each with its code of this moment (at most three: one screen). */
export const currentCodes: Performer<'currentCodes'> = async (api, _r, contact) => {
  const user = api.as(contact);
  const current = (await user.myPasses()).filter((p) => p.current && p.status === 'active').slice(0, 3);
  return settled(current.map(async (pass) => ({ pass, code: await user.passCode(pass.id) })));
};
