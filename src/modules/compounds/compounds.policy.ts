import { cityAdmin, definePolicy, either, holderOf } from '../identity/policy';

const managerOf = either(cityAdmin, holderOf('property_manager', 'compoundIds'));
const guardOf = holderOf('gate_guard', 'compoundIds');

/**
 * Compounds' rows of the policy table: city administrators create and import; a compound's managers (and the city's
 * administrators) run its access; its guards check riders at its gates.
 */
export const { rules: compoundRules, authorize, allows } = definePolicy({
  'compound.create': cityAdmin,
  'compound.update': cityAdmin,
  'compound.delete': cityAdmin,
  /** Policy and notes, requests, passes, blocks, devices, entries and the summary of one compound. */
  'compound.manage': managerOf,
  'compound.verify': guardOf,
  'compound.placeCode': either(managerOf, guardOf),
});
