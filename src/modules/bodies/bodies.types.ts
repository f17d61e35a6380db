import type { City, ListQuery } from '../../shared/domain';
import type { BodyType } from '../hazards/categories';

/** How a body is reached: a phone line, an email address, an Open311 endpoint, or its staff working in this service. */
export const CONTACT_CHANNELS = ['phone', 'email', 'open311', 'staff'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

export interface BodyContact {
  channel: ContactChannel;
  /** The number, the address, the endpoint URL, or for 'staff' a note on who handles it. */
  value: string;
}

/** What a city administrator sets for a responsible body (责任单位). */
export interface BodyInput {
  city: City;
  /** Full district or county names (渝中区); empty: the whole city. */
  districts: string[];
  name: string;
  type: BodyType;
  /** Category codes it handles, all of its type; empty: every category of its type. */
  categories: string[];
  contact: BodyContact;
  active: boolean;
  isDemo: boolean;
}

/** A responsible body: who fixes a kind of hazard in a city or some of its districts. */
export interface ResponsibleBody extends BodyInput {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface BodyQuery extends ListQuery {
  type?: BodyType;
  active?: boolean;
}

export interface BodyRepository {
  /** 409 (field name) when the city already has a body of this name. */
  create(input: BodyInput, now: Date): Promise<ResponsibleBody>;
  get(id: string): Promise<ResponsibleBody | null>;
  /** Replaces the given fields (never id, city or createdAt); null when the id is unknown; 409 on a taken name. */
  update(id: string, patch: Partial<Omit<BodyInput, 'city'>>, now: Date): Promise<ResponsibleBody | null>;
  delete(id: string): Promise<boolean>;
  /** Ids ascending, keyset paging, filtered by city, type and active. */
  list(q: BodyQuery): Promise<ResponsibleBody[]>;
  count(filter?: { city?: City }): Promise<number>;
}

/** What the bodies feature keeps in storage. */
export interface BodiesStorage {
  readonly bodies: BodyRepository;
}
