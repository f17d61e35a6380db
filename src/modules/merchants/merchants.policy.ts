import { cityAdmin, definePolicy, either, holderOf } from '../identity/policy';

/** Merchants' rows of the policy table: administrators of the city write; owners edit the offer of their own. */
export const { rules: merchantRules, authorize, allows } = definePolicy({
  'merchant.create': cityAdmin,
  'merchant.update': cityAdmin,
  'merchant.offer': either(cityAdmin, holderOf('merchant_owner', 'merchantIds')),
  'merchant.delete': cityAdmin,
});
