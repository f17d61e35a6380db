import { isOpenAt } from '../../shared/hours';
import type { Logger } from '../../shared/logger';
import { localTime, type Clock, type LocalTime } from '../../shared/time';
import type { Station } from '../stations/stations.types';
import type { StationsStorage } from '../stations/stations.types';
import { mulberry32 } from './demo-data';

/** reportedBy of the seat counts the demo writes, so they are never mistaken for an operator's. */
export const DEMO_REPORTER = 'demo';
export const SLOT_MINUTES = 15;
const PAGE = 500;

// Share of seats taken through a local day (minute, share): lunch 11:00-13:30 and dinner 17:00-20:00 peak.
const BUSY: Array<[number, number]> = [
  [0, 0.1], [360, 0.05], [480, 0.2], [630, 0.3], [660, 0.65], [720, 0.85], [780, 0.8], [810, 0.6], [840, 0.35],
  [900, 0.3], [990, 0.35], [1020, 0.6], [1110, 0.8], [1170, 0.75], [1200, 0.55], [1260, 0.35], [1380, 0.2], [1440, 0.1],
];
const JITTER = 0.15;

function busyAt(minute: number): number {
  const i = BUSY.findIndex(([m]) => m > minute);
  const [m0, b0] = BUSY[i - 1] as [number, number];
  const [m1, b1] = BUSY[i] as [number, number];
  return b0 + ((b1 - b0) * (minute - m0)) / (m1 - m0);
}

/** FNV-1a: a stable 32-bit seed from a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

type SeatStation = Pick<Station, 'id' | 'externalId' | 'capacity' | 'status' | 'hours'>;

/** Plausible free seats of a demo station at a local time: the same for a station within one 15-minute slot; 0 when closed. */
export function seatsAt(station: SeatStation, t: LocalTime): number {
  if (station.status !== 'open' || !isOpenAt(station.hours, t) || station.capacity <= 0) return 0;
  const slot = Math.floor(t.minute / SLOT_MINUTES);
  const jitter = (mulberry32(hash(`${station.externalId ?? station.id}|${t.weekday}|${slot}`))() * 2 - 1) * JITTER;
  const taken = Math.min(1, Math.max(0, busyAt((slot + 0.5) * SLOT_MINUTES) + jitter));
  return station.capacity - Math.round(station.capacity * taken);
}

/** A person's report (an operator trying the demo) stands until it goes stale. */
function heldByPerson(s: Station, now: Date, freshnessMs: number): boolean {
  const at = s.occupancy.reportedAt;
  return s.occupancy.reportedBy !== DEMO_REPORTER && at !== null && now.getTime() - at.getTime() <= freshnessMs;
}

export interface RefreshDeps {
  storage: StationsStorage;
  now: Date;
  freshnessMs: number;
  signal?: AbortSignal;
}

/** Writes a demo seat report for every demo station (isDemo only; real stations are never touched). */
export async function refreshDemoOccupancy({ storage, now, freshnessMs, signal }: RefreshDeps): Promise<{ updated: number; skipped: number }> {
  const t = localTime(now);
  let updated = 0;
  let skipped = 0;
  let after: string | undefined;
  for (;;) {
    const page = await storage.stations.list({ limit: PAGE, after });
    for (const s of page) {
      if (signal?.aborted) return { updated, skipped };
      if (!s.isDemo) continue;
      if (heldByPerson(s, now, freshnessMs)) {
        skipped++;
        continue;
      }
      await storage.stations.setOccupancy(s.id, { available: seatsAt(s, t), reportedAt: now, reportedBy: DEMO_REPORTER }, now);
      updated++;
    }
    if (page.length < PAGE) return { updated, skipped };
    after = page[page.length - 1]?.id;
  }
}

export interface DemoOccupancyDeps {
  storage: StationsStorage;
  clock: Clock;
  freshnessMs: number;
  log: Logger;
}

/** Refreshes demo seat counts now and then every half freshness window; the returned stop waits for a refresh in flight. */
export function startDemoOccupancy({ storage, clock, freshnessMs, log }: DemoOccupancyDeps): () => Promise<void> {
  const abort = new AbortController();
  let running: Promise<void> | null = null;
  let runs = 0;
  const tick = () => {
    if (running || abort.signal.aborted) return;
    running = refreshDemoOccupancy({ storage, now: clock.now(), freshnessMs, signal: abort.signal })
      .then((r) => log[runs++ === 0 ? 'info' : 'debug']({ module: 'demo', ...r }, 'demo seat counts refreshed'))
      .catch((err: unknown) => log.warn({ module: 'demo', err }, 'demo seat counts not refreshed'))
      .finally(() => { running = null; });
  };
  tick();
  const timer = setInterval(tick, Math.max(1000, Math.floor(freshnessMs / 2)));
  timer.unref();
  return async () => {
    abort.abort();
    clearInterval(timer);
    await running;
  };
}
