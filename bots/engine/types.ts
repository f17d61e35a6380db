import type { Amenity, Center, MerchantCategory } from '../api-contract';

/** What a rider sent, already lifted out of WeChat: text, a GCJ-02 location, or something the bot cannot read. */
export type BotInput =
  | { kind: 'text'; text: string }
  | { kind: 'location'; lng: number; lat: number; name?: string }
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

export interface ConversationState {
  remembered?: Remembered;
}

/** A search with a concrete centre, ready for the API client. */
export type ResolvedSearch = (StationSearch | MerchantSearch) & {
  center: Center;
  label: string | null;
  radiusM?: number;
  limit: number;
  guessed: boolean;
};

/** What the runtime must do next: send text, run a search, bind this contact to a staff account, or look it up. */
export type Action =
  | { kind: 'reply'; text: string }
  | { kind: 'search'; search: ResolvedSearch }
  | { kind: 'bind'; code: string }
  | { kind: 'whoami' };
