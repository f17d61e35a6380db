import type {
  AccessOutcome, AccessRequest, Amenity, Approval, BotSession, Center, Compound, GateCheck, Hazard, HazardCategory, HazardInput, Me,
  MerchantCategory, MerchantQuery, MerchantsResult, Pass, PassCode, PlaceScan, Staff, StationDetail, StationQuery, StationsResult, StationStatus,
} from '../api-contract';

/** What a sender sent, already lifted out of WeChat: text, a GCJ-02 location, a picture's bytes, or something unreadable. */
export type BotInput =
  | { kind: 'text'; text: string }
  | { kind: 'location'; lng: number; lat: number; name?: string; address?: string }
  | { kind: 'image'; bytes: Uint8Array; mimeType?: string }
  | { kind: 'unsupported' };

/** Where a message was sent: a private chat with the bot, or a group chat (room) that others read too. */
export type ChatKind = 'private' | 'room';

export interface StationSearch {
  target: 'stations';
  amenities: Amenity[];
  hasSeats: boolean;
  openNow: boolean;
}

export interface MerchantSearch {
  target: 'merchants';
  category?: MerchantCategory;
  openNow: boolean;
}

/** Where the rider wants to search; 'remembered' means "where I was a moment ago". */
export type Where = { kind: 'point'; lng: number; lat: number; name?: string } | { kind: 'place'; name: string } | { kind: 'remembered' };

export type SearchIntent = (StationSearch | MerchantSearch) & {
  kind: 'search';
  where: Where;
  radiusM?: number;
  /** True when the text had no keyword and is only guessed to be a place name. */
  guessed: boolean;
};

export type Intent =
  | SearchIntent
  | { kind: 'help' }
  | { kind: 'hint' }
  | { kind: 'unsupported' }
  | { kind: 'radius_too_large'; maxRadiusM: number }
  /** '绑定 K7M2Q9XA' from a staff member; code is null when the words were there but no usable code. */
  | { kind: 'bind'; code: string | null }
  | { kind: 'whoami' };

/** The last search centre, kept so that a bare '商户' searches the same spot. */
export interface Remembered {
  center: Center;
  /** How replies name it: a place name, or null for "your location". */
  label: string | null;
  /** Epoch milliseconds when it was sent. */
  at: number;
}

/** One entry of a numbered list the bot showed. */
export interface Option {
  id: string;
  label: string;
}

/** What the staff member asked of a station before the bot had to ask which one. */
export type StationChange = { kind: 'occupancy'; available: number | 'full' } | { kind: 'status'; status: StationStatus; note: string | null };

/** A numbered list just shown: the next bare number picks from it. */
export type Choice =
  | { kind: 'compound'; options: Option[]; at: number }
  | { kind: 'station'; options: Option[]; change: StationChange; at: number }
  | { kind: 'guard_compound'; options: Option[]; code: string; at: number }
  | { kind: 'gate'; compound: Option; options: Option[]; code: string; at: number };

/** The hazard report being put together, one message at a time. */
export interface ReportDraft {
  stage: 'category' | 'location' | 'duplicate' | 'photo' | 'confirm';
  categories: HazardCategory[];
  category?: HazardCategory;
  description?: string;
  location?: { lng: number; lat: number; address: string | null };
  photo?: { bytes: Uint8Array; mimeType: string };
  /** The nearby open report offered for support instead. */
  nearby?: Hazard;
  at: number;
}

export interface ConversationState {
  remembered?: Remembered;
  choice?: Choice;
  report?: ReportDraft;
  /** The manager's last list of pending requests: '同意 2' means its second entry. */
  pending?: { ids: string[]; names: Array<string | null>; at: number };
  /** The compound and gate a guard checks codes at, once chosen. */
  gate?: { compound: Option; gate: Option; at: number };
}

/** A search with a concrete centre, ready for the API client. */
export type ResolvedSearch = (StationSearch | MerchantSearch) & {
  center: Center;
  label: string | null;
  radiusM?: number;
  limit: number;
  guessed: boolean;
};

/** Every call the engine may ask the runtime to make, and what each answers. */
export interface ApiResults {
  stations: StationsResult;
  merchants: MerchantsResult;
  bind: Staff;
  whoami: Staff | null;
  session: BotSession;
  me: Me;
  stationsById: StationDetail[];
  findCompounds: Compound[];
  compound: Compound;
  compoundsById: Compound[];
  requestAccess: AccessOutcome;
  currentCodes: Array<{ pass: Pass; code: PassCode }>;
  scanPlaceCode: PlaceScan;
  pendingRequests: AccessRequest[];
  approve: Approval;
  deny: AccessRequest;
  verifyGate: GateCheck;
  setOccupancy: StationDetail;
  setStatus: StationDetail;
  hazardCategories: HazardCategory[];
  nearbyHazards: Hazard[];
  createHazard: Hazard;
  supportHazard: Hazard;
  myHazards: Hazard[];
}
export type Op = keyof ApiResults;

export type ApiRequest =
  | { op: 'stations'; query: StationQuery }
  | { op: 'merchants'; query: MerchantQuery }
  | { op: 'bind'; code: string }
  | { op: 'whoami' }
  | { op: 'session' }
  | { op: 'me' }
  | { op: 'stationsById'; ids: string[] }
  | { op: 'findCompounds'; q: string }
  | { op: 'compound'; id: string }
  | { op: 'compoundsById'; ids: string[] }
  | { op: 'requestAccess'; compoundId: string }
  /** The sender's current passes, each with its code of this moment. */
  | { op: 'currentCodes' }
  | { op: 'scanPlaceCode'; code: string }
  | { op: 'pendingRequests' }
  | { op: 'approve'; requestId: string }
  | { op: 'deny'; requestId: string; reason: string }
  | { op: 'verifyGate'; compoundId: string; gateId: string; code: string }
  | { op: 'setOccupancy'; stationId: string; available: number }
  | { op: 'setStatus'; stationId: string; status: StationStatus; note: string | null }
  | { op: 'hazardCategories' }
  | { op: 'nearbyHazards'; category: string; lng: number; lat: number }
  | { op: 'createHazard'; report: HazardInput }
  | { op: 'supportHazard'; hazardId: string }
  | { op: 'myHazards' };

/** The parts of a failed API call a reply needs (see ApiError). */
export interface ErrorLike {
  message: string;
  status: number;
  code?: string;
  suggestions: string[];
  field?: string | null;
  outside?: string | null;
}

/** How a call went: its answer, or the error (status 0 when the service could not be reached). */
export type Outcome<O extends Op> = { ok: true; data: ApiResults[O] } | { ok: false; error: ErrorLike };

export interface Step {
  action: Action;
  state: ConversationState;
}

/**
 * An API call and what to do with its outcome. `next` is a pure function of the outcome (it closes over the state the
 * call was made from): the engine stays pure while a flow takes several calls.
 */
export type Call = { [O in Op]: { kind: 'call'; request: Extract<ApiRequest, { op: O }>; next: (outcome: Outcome<O>) => Step } }[Op];

/**
 * What the runtime must do next: send text, or make a call and feed its outcome to `next`. A privateOnly reply (a
 * pass, a code, a staff list) must never reach a room, whatever chat the runtime thinks it answers.
 */
export type Action = { kind: 'reply'; text: string; privateOnly?: true } | Call;
