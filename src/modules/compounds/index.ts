import type { Feature, FeatureContext } from '../../feature';
import { createSealer } from '../../shared/sealed';
import type { StorageBase } from '../../storage/types';
import { holdingKind } from '../identity/holdings';
import type { IdentityStorage } from '../identity/identity.types';
import { gateTokensFor } from '../gate-keys/gate-tokens';
import type { GateKeysStorage } from '../gate-keys/gate-keys.types';
import { createOutbox } from '../outbox/outbox.service';
import type { OutboxStorage } from '../outbox/outbox.types';
import { createPlatformService } from '../platforms/platforms.service';
import type { PlatformsStorage } from '../platforms/platforms.types';
import { accessRoutes, managersOf } from './access.routes';
import { createAccessService, type AccessService } from './access.service';
import { compoundImport } from './compounds.import';
import { compoundRules } from './compounds.policy';
import { compoundRoutes } from './compounds.routes';
import type { CompoundsStorage } from './compounds.types';
import { createGateService } from './gate.service';
import { newPassSecret } from './pass-code';
import { compoundsStore } from './storage';
import { startExpiryNotices } from './expiry-notices';
import { createAudit } from '../identity/audit';

/** What compound access needs of storage besides its own: riders and staff, the outbox, gate keys, attestations. */
export type CompoundNeeds = CompoundsStorage & IdentityStorage & OutboxStorage & GateKeysStorage & PlatformsStorage & Pick<StorageBase, 'atomically' | 'limiterStore'>;

/** The access service of an app, built from its dependencies (routes and the expiry worker share the shape). */
export function accessServiceOf(deps: Pick<FeatureContext<CompoundNeeds>, 'storage' | 'clock' | 'config'> & { audit: FeatureContext['identity']['audit'] }): AccessService {
  const { storage, clock, config } = deps;
  const sealer = createSealer(config.secretsKey);
  const outbox = createOutbox({ storage, config, clock });
  const platforms = createPlatformService({ storage, clock, config });
  return createAccessService({
    storage, clock, audit: deps.audit,
    facts: (rider, now) => platforms.factsFor(rider, now),
    emit: async (notices) => {
      await outbox.emit(notices);
    },
    newSealedSecret: (passId) => sealer.seal(newPassSecret(), passId),
    managersOf: (c) => managersOf(storage, c),
  });
}

/** 小哥进小区: compounds, access requests and approval, passes with rotating codes and QR tokens, gate checks. */
export const compoundsFeature: Feature<CompoundsStorage, CompoundNeeds> = {
  name: 'compounds',
  store: compoundsStore,
  rules: compoundRules,
  holdings: (storage) => holdingKind('compoundIds', ['property_manager', 'gate_guard'], storage.compounds),
  importKinds: (storage) => [{ kind: 'compounds', objectType: 'compound', definition: compoundImport, repository: storage.compounds }],
  routes: (ctx) => {
    const { storage, clock, config } = ctx;
    const sealer = createSealer(config.secretsKey);
    const tokens = gateTokensFor({ storage, clock, config });
    const platforms = createPlatformService({ storage, clock, config });
    const access = accessServiceOf({ storage, clock, config, audit: ctx.identity.audit });
    const gates = createGateService({
      storage, clock, sealer,
      verifyToken: (token, now) => tokens.verify(token, now),
      facts: (rider, now) => platforms.factsFor(rider, now),
      limiterStore: storage.limiterStore(),
      wrongCodesPerMinute: config.access.wrongCodesPerMinute,
    });
    return {
      json: [compoundRoutes(ctx), ...accessRoutes({ ctx, access, gates, sealer, issueToken: (claims, now) => tokens.issue(claims, now) })],
    };
  },
  workers: (deps) => [startExpiryNotices({
    access: accessServiceOf({ ...deps, audit: createAudit(deps.storage, deps.clock) }), withinMs: deps.config.access.expiryNoticeMs, log: deps.log,
  })],
};
