import { cityAdmin, definePolicy, either, holderOf } from '../identity/policy';

/**
 * Hazards' rows of the policy table. The target of 'hazard.manage' is the report's city and the id of whoever it
 * was routed to: a compound (its property managers) or, checked separately, a responsible body (its staff).
 */
export const { rules: hazardRules, authorize, allows } = definePolicy({
  'hazard.manage': either(cityAdmin, holderOf('property_manager', 'compoundIds')),
  'hazard.stats': cityAdmin,
});
