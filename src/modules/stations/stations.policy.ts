import { cityAdmin, definePolicy, either, holderOf } from '../identity/policy';

const operatorOf = either(cityAdmin, holderOf('station_operator', 'stationIds'));

/** Stations' rows of the policy table: administrators of the city write; operators report seats and open/closed. */
export const { rules: stationRules, authorize } = definePolicy({
  'station.create': cityAdmin,
  'station.update': cityAdmin,
  'station.delete': cityAdmin,
  'station.occupancy': operatorOf,
  'station.status': operatorOf,
});
