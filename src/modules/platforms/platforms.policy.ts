import { cityAdmin, definePolicy } from '../identity/policy';

/**
 * Platforms' rows of the policy table: a city's administrators register, list and revoke its platform keys. A key
 * of another city answers 404, exactly as one that does not exist (the route answers keyNotFound for both).
 */
export const { rules: platformRules, authorize, allows } = definePolicy({
  'platform_key.create': cityAdmin,
  'platform_key.read': cityAdmin,
  'platform_key.revoke': cityAdmin,
}, ['platform_key.revoke']);
