import type { ApiClient, Contact } from './api-client';
import { ApiError, UNAVAILABLE_MESSAGE } from './api-error';
import type { ApiRequest, ApiResults, ErrorLike, Op, Outcome } from './engine/types';
import type { BotLog } from './log';
import { bind, compoundsById, currentCodes, stationsById } from './staff-actions';

/** Runs one API request of the engine: public ones as the bot, rider and staff ones as the sender (own token). */
async function run(api: ApiClient, r: ApiRequest, contact: Contact, log: BotLog): Promise<ApiResults[Op]> {
  const as = () => api.as(contact);
  switch (r.op) {
    case 'stations': return api.nearbyStations(r.query);
    case 'merchants': return api.nearbyMerchants(r.query);
    case 'bind': return bind(api, r, contact, log);
    case 'whoami': return api.whoIs(contact.contactId);
    case 'session': return api.session(contact);
    case 'me': return as().me();
    case 'stationsById': return stationsById(api, r, contact, log);
    case 'findCompounds': return api.findCompounds(r.q);
    case 'compound': return api.compound(r.id);
    case 'compoundsById': return compoundsById(api, r, contact, log);
    case 'requestAccess': return as().requestAccess(r.compoundId);
    case 'currentCodes': return currentCodes(api, r, contact, log);
    case 'scanPlaceCode': return as().scanPlaceCode(r.code);
    case 'pendingRequests': return as().pendingRequests();
    case 'approve': return as().approve(r.requestId);
    case 'deny': return as().deny(r.requestId, r.reason);
    case 'verifyGate': return as().verifyGate({ compoundId: r.compoundId, gateId: r.gateId, code: r.code });
    case 'setOccupancy': return as().setOccupancy(r.stationId, r.available);
    case 'setStatus': return as().setStatus(r.stationId, r.status, r.note);
    case 'hazardCategories': return api.hazardCategories();
    case 'nearbyHazards': return api.nearbyHazards(r.category, r.lng, r.lat);
    case 'createHazard': return as().createHazard(r.report);
    case 'supportHazard': return as().supportHazard(r.hazardId);
    case 'myHazards': return as().myHazards();
  }
}

function errorOf(err: unknown): ErrorLike {
  const e = err instanceof ApiError ? err : new ApiError(UNAVAILABLE_MESSAGE, { status: 0, code: 'unavailable' });
  return { message: e.message, status: e.status, code: e.code, suggestions: e.suggestions, field: e.field, outside: e.outside };
}

/** One request as an outcome: the answer, or the error with the service's message; it never throws. */
export async function perform(api: ApiClient, request: ApiRequest, contact: Contact, log: BotLog): Promise<Outcome<Op>> {
  try {
    return { ok: true, data: await run(api, request, contact, log) };
  } catch (err) {
    const error = errorOf(err);
    // A refused X-Bot-Token is the operator's mistake and affects every sender: worth an error in the log.
    if (error.status === 401) log.error({ module: 'bot', status: 401, op: request.op }, 'service refused the bot token');
    else if (error.code !== 'not_configured' && (error.status === 0 || error.status >= 500)) log.warn({ module: 'bot', err, op: request.op }, 'api call failed');
    return { ok: false, error };
  }
}
