import type { Feature, FeatureContext } from '../../feature';
import { readMultipart } from '../../shared/multipart';
import type { StorageBase } from '../../storage/types';
import { canonicalDistrict, createRouter, districtOf, type BodiesStorage } from '../bodies';
import type { CompoundsStorage } from '../compounds/compounds.types';
import { createPhotoStore, MAX_PHOTOS } from '../files/photo-store';
import { PHOTO_MAX_BYTES } from '../files/photos';
import type { FilesStorage } from '../files/files.types';
import type { IdentityStorage } from '../identity/identity.types';
import { createOutbox } from '../outbox/outbox.service';
import type { OutboxStorage } from '../outbox/outbox.types';
import { hazardRules } from './hazards.policy';
import { hazardRoutes } from './hazards.routes';
import { createHazardService, type HazardService } from './hazards.service';
import type { HazardsStorage } from './hazards.types';
import { hazardsStore } from './storage';

export type HazardNeeds = HazardsStorage & IdentityStorage & OutboxStorage & FilesStorage & BodiesStorage & Pick<CompoundsStorage, 'compounds'>
  & Pick<StorageBase, 'atomically' | 'limiterStore'>;

/** The text fields of a multipart report (the JSON body's names), and its repeatable file field. */
const MULTIPART_FIELDS = ['category', 'description', 'lng', 'lat', 'coordSys', 'address', 'district'];

/**
 * The hazard service of an app: the responsible bodies' router, the photo store and the outbox. Reports that come
 * without a mini-program user (Open311 clients) pass `checkText: false`: WeChat's text check needs a user's openid.
 */
export function hazardServiceFor(ctx: FeatureContext<HazardNeeds>, opts: { checkText?: boolean } = {}): HazardService {
  const { storage, clock, config, identity } = ctx;
  const outbox = createOutbox({ storage, config, clock });
  const router = createRouter({ storage, nearCompoundM: config.hazardRouting.compoundDistanceM });
  const wechatOn = opts.checkText !== false && Boolean(config.wechat.appId && config.wechat.appSecret);
  return createHazardService({
    storage, clock,
    route: (input) => router.route(input),
    districtAt: districtOf,
    canonicalDistrict,
    // Demo riders' openids are made up: WeChat would refuse them, so their text is not sent.
    checkText: async (text, rider) => (wechatOn && rider.openid && !rider.isDemo ? identity.wechat.msgSecCheck({ openid: rider.openid, content: text, scene: 3 }) : { suggest: 'pass' }),
    photos: createPhotoStore(storage.files, 'hazards'),
    emit: async (notices) => {
      await outbox.emit(notices);
    },
  });
}

/** 随手拍: hazard reports routed by 三事分流, support and duplicates, status updates to reporters, points. */
export const hazardsFeature: Feature<HazardsStorage, HazardNeeds> = {
  name: 'hazards',
  store: hazardsStore,
  rules: hazardRules,
  routes: (ctx) => {
    const { storage } = ctx;
    const service = hazardServiceFor(ctx);
    const routers = hazardRoutes({
      ctx, service,
      readMultipart: async (c) => {
        if (!c.is('multipart/form-data')) return null;
        const body = await readMultipart(c, { fields: MULTIPART_FIELDS, fileFields: ['photos'], maxFiles: MAX_PHOTOS, maxFileBytes: PHOTO_MAX_BYTES, maxFieldBytes: 8 * 1024 });
        return { fields: body.fields, photos: body.files.map((f) => f.data) };
      },
      photo: (key) => storage.files.get(key),
      holdsBody: (p, bodyId) => p.kind === 'staff' && p.role === 'body_staff' && p.bodyIds.includes(bodyId),
    });
    return { raw: [routers.raw], json: [routers.json] };
  },
};
