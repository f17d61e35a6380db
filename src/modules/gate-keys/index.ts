import type { Feature } from '../../feature';
import { gateKeysRoutes } from './gate-keys.routes';
import type { GateKeysStorage } from './gate-keys.types';
import { gateKeysStore } from './storage';

/** Ed25519 keys that sign the QR tokens of passes, rotated on demand, published at /.well-known/jwks.json. */
export const gateKeysFeature: Feature<GateKeysStorage> = {
  name: 'gate-keys',
  store: gateKeysStore,
  routes: (ctx) => ({ early: [gateKeysRoutes(ctx)] }),
};
