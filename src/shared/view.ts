import type { CoordSys } from './geo';
import type { LocalTime } from './time';

/** What every view of a located object needs: the caller's coordinate system and the local time it is read at. */
export interface ViewContext {
  coordSys: CoordSys;
  now: Date;
  local: LocalTime;
  freshnessMs: number;
}
