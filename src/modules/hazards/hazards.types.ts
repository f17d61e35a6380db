import type { City, ListQuery } from '../../shared/domain';
import type { LngLat } from '../../shared/geo';
import type { HazardClass } from './categories';

export const HAZARD_STATUSES = ['submitted', 'triaged', 'in_progress', 'resolved', 'rejected', 'duplicate'] as const;
export type HazardStatus = (typeof HAZARD_STATUSES)[number];
export const OPEN_STATUSES: readonly HazardStatus[] = ['submitted', 'triaged', 'in_progress'];

/** Where routing sent a report, and why, in words staff and the reporter read. */
export interface RouteDecision {
  bodyId: string | null;
  bodyName: string | null;
  /** 'body' (a registered responsible body), 'compound' (that compound's property manager), 'unrouted' (city admins triage). */
  kind: 'body' | 'compound' | 'unrouted';
  compoundId: string | null;
  why: string;
}

export interface HazardPhoto {
  /** File-storage keys of the re-encoded photo and its thumbnail. */
  key: string;
  thumbKey: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
}

/** One change of a report, as the reporter and staff see it. */
export interface HazardUpdate {
  at: Date;
  status: HazardStatus;
  /** A staff id, the reporter's rider id, or 'system'. */
  by: string;
  byRole: string;
  note: string | null;
}

export interface HazardReport {
  id: string;
  city: City;
  district: string | null;
  category: string;
  class: HazardClass;
  description: string;
  address: string | null;
  location: LngLat; // WGS-84
  photos: HazardPhoto[];
  reporterId: string;
  status: HazardStatus;
  /** Hidden until staff look, when WeChat's content check said 'review'. */
  hidden: boolean;
  route: RouteDecision;
  duplicateOf: string | null;
  /** Riders told of every change: the reporter, supporters, and the reporters of duplicates merged into it. */
  followers: string[];
  supporters: string[];
  supportCount: number;
  rejectedBy: string | null;
  rejectReason: string | null;
  /** The reporter's answer after resolution: true fixed, false not fixed (which reopens it). */
  fixed: boolean | null;
  updates: HazardUpdate[];
  /** When it entered its current status (overdue is measured from here). */
  statusSince: Date;
  triagedAt: Date | null;
  resolvedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface HazardQuery extends ListQuery {
  status?: HazardStatus | readonly HazardStatus[];
  category?: string;
  district?: string;
  class?: HazardClass;
  bodyId?: string;
  /** Reports routed to any of these bodies (a body's staff's queue). */
  bodyIds?: readonly string[];
  compoundIds?: readonly string[];
  reporterId?: string;
  /** Reports followed by this rider (reporter or supporter). */
  followerId?: string;
  createdSince?: Date;
  createdBefore?: Date;
}

export interface HazardRepository {
  create(r: HazardReport): Promise<HazardReport>;
  get(id: string): Promise<HazardReport | null>;
  /**
   * Replaces the report if its updatedAt is still `expected` (optimistic concurrency); null when someone changed it
   * in between (the caller reads again and retries or answers 409).
   */
  replace(r: HazardReport, expected: Date): Promise<HazardReport | null>;
  list(q: HazardQuery): Promise<HazardReport[]>;
  /** Open reports of the category within radiusM of center created at or after since, nearest first. */
  nearbyOpen(q: { center: LngLat; radiusM: number; category: string; since: Date; limit: number }): Promise<Array<HazardReport & { distanceM: number }>>;
}

/** Points a rider earned: a valid report, or support for one that was resolved. One entry per (reason, report). */
export interface PointsEntry {
  id: string;
  riderId: string;
  reportId: string;
  /** 'reversal' takes a report's points back when it ends rejected or a duplicate after staff took it up. */
  reason: 'report' | 'support' | 'reversal';
  points: number;
  at: Date;
}

export interface PointsRepository {
  /** Adds the entry unless the rider already has one for this reason and report; false then. */
  award(e: PointsEntry): Promise<boolean>;
  list(riderId: string, q: { limit: number; after?: string }): Promise<PointsEntry[]>;
  total(riderId: string): Promise<number>;
}

/** What the hazards feature keeps in storage (photos live in the file store, src/modules/files). */
export interface HazardsStorage {
  readonly hazards: HazardRepository;
  readonly points: PointsRepository;
}
