import type { Feature } from '../../feature';
import { holdingKind } from '../identity/holdings';
import { merchantImport } from './merchants.import';
import { merchantRules } from './merchants.policy';
import { merchantRoutes } from './merchants.routes';
import type { MerchantsStorage } from './merchants.types';
import { merchantsStore } from './storage';

/** 暖新商户: nearby search for rider discounts, administration, owners' offers, CSV/GeoJSON import. */
export const merchantsFeature: Feature<MerchantsStorage> = {
  name: 'merchants',
  store: merchantsStore,
  rules: merchantRules,
  holdings: (storage) => holdingKind('merchantIds', 'merchant_owner', storage.merchants),
  importKinds: (storage) => [{ kind: 'merchants', objectType: 'merchant', definition: merchantImport, repository: storage.merchants }],
  routes: (ctx) => ({ json: [merchantRoutes(ctx)] }),
};
