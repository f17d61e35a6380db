import { cityAdmin, definePolicy } from '../identity/policy';

/**
 * Open311's rows of the policy table: a city's administrators issue, list and revoke its Open311 client keys. A key
 * of another city answers 404, exactly as one that does not exist (the route answers keyNotFound for both).
 */
export const { rules: open311Rules, authorize, allows } = definePolicy({
  'open311_key.create': cityAdmin,
  'open311_key.read': cityAdmin,
  'open311_key.revoke': cityAdmin,
}, ['open311_key.revoke']);
