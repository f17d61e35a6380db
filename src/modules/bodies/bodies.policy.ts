import { cityAdmin, definePolicy, either, holderOf } from '../identity/policy';

/**
 * Bodies' rows of the policy table: a city's administrators register and change its responsible bodies and preview
 * where a report would go; a body's staff read their own bodies. Reading, changing or deleting another city's body
 * (or, for body staff, one they do not hold) answers 404, exactly as one that does not exist.
 */
export const { rules: bodyRules, authorize, allows } = definePolicy({
  'hazard_body.create': cityAdmin,
  'hazard_body.read': either(cityAdmin, holderOf('body_staff', 'bodyIds')),
  'hazard_body.update': cityAdmin,
  'hazard_body.delete': cityAdmin,
  'hazard_body.preview': cityAdmin,
}, ['hazard_body.read', 'hazard_body.update', 'hazard_body.delete']);
