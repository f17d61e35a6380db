import Router from '@koa/router';
import { route } from '../../shared/openapi/route';
import { gbfsDocs } from './gbfs.openapi';
import type { Context } from 'koa';
import type { AppDeps } from '../../feature';
import { localTime } from '../../shared/time';
import type { Station } from '../stations/stations.types';
import type { StationsStorage } from '../stations/stations.types';
import { freshAvailable, stationOpenAt } from '../stations/stations.service';

const GBFS_VERSION = '2.3';
const FEEDS = ['system_information', 'station_information', 'station_status'] as const;
const PAGE = 1000;

/** Every station, walked in id order a page at a time. */
async function allStations(storage: StationsStorage): Promise<Station[]> {
  const out: Station[] = [];
  for (let after: string | undefined; ;) {
    const page = await storage.stations.list({ limit: PAGE, after });
    out.push(...page);
    if (page.length < PAGE) return out;
    after = page[page.length - 1]?.id;
  }
}

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** A GBFS-shaped public feed of stations and their live free seats (free seats play num_docks_available). */
export function gbfsRoutes({ config, storage, clock }: AppDeps<StationsStorage>): Router {
  const router = new Router({ prefix: '/gbfs' });
  // last_updated is when the feed's data last changed (GBFS), not when it was served: an answer that carried the
  // time of the request changed every second, so its ETag did too and conditional GETs never got a 304.
  const started = clock.now(); // the feed list and the system information change only with a deployment
  const envelope = (ctx: Context, lastUpdated: Date, data: unknown) => {
    ctx.set('Cache-Control', `public, max-age=${config.gbfsTtlSeconds}`);
    ctx.body = { last_updated: seconds(lastUpdated), ttl: config.gbfsTtlSeconds, version: GBFS_VERSION, data };
  };
  /** The newest write among the stations (occupancy reports too, if asked), or the start when there are none. */
  const newest = (stations: Station[], withReports: boolean): Date =>
    new Date(stations.reduce((t, s) => Math.max(t, s.updatedAt.getTime(), withReports ? (s.occupancy.reportedAt?.getTime() ?? 0) : 0), 0) || started.getTime());

  route(router, gbfsDocs.index, (ctx) => {
    const base = config.publicBaseUrl || `${ctx.protocol}://${ctx.host}`;
    envelope(ctx, started, { zh: { feeds: FEEDS.map((name) => ({ name, url: `${base}/gbfs/${name}.json` })) } });
  });
  route(router, gbfsDocs.system, (ctx) => {
    envelope(ctx, started, {
      system_id: 'nuanxin-chuanyu',
      language: 'zh',
      name: '川渝暖新驿站',
      operator: '重庆市、成都市社会工作部',
      timezone: 'Asia/Shanghai',
    });
  });
  route(router, gbfsDocs.information, async (ctx) => {
    const stations = await allStations(storage);
    envelope(ctx, newest(stations, false), {
      stations: stations.map((s) => ({
        station_id: s.id,
        name: s.name,
        lat: s.location.lat,
        lon: s.location.lng,
        address: s.address,
        region_id: s.city,
        capacity: s.capacity,
      })),
    });
  });
  route(router, gbfsDocs.status, async (ctx) => {
    const now = clock.now();
    const local = localTime(now);
    const stations = await allStations(storage);
    // Seats turn unknown as reports age and stations open and close by the minute: the data is as of this minute.
    const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    envelope(ctx, new Date(Math.max(minute.getTime(), newest(stations, true).getTime())), {
      stations: stations.map((s) => {
        const free = freshAvailable(s, now, config.occupancyFreshnessMs);
        const open = stationOpenAt(s, local);
        return {
          station_id: s.id,
          num_bikes_available: free === null ? 0 : s.capacity - free, // occupied seats
          num_docks_available: free ?? 0, // free seats
          is_installed: s.status !== 'closed',
          is_renting: open,
          is_returning: open,
          last_reported: seconds(s.occupancy.reportedAt ?? s.updatedAt),
          _occupancy_known: free !== null, // GBFS has no "unknown"; 0 with this flag false means not reported recently
        };
      }),
    });
  });
  return router;
}
