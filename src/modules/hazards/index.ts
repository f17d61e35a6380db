import type { Feature } from '../../feature';
import { readMultipart } from '../../shared/multipart';
import type { StorageBase } from '../../storage/types';
import { createRouter, districtOf, type BodiesStorage } from '../bodies';
import type { CompoundsStorage } from '../compounds/compounds.types';
import { createPhotoStore, MAX_PHOTOS } from '../files/photo-store';
import { PHOTO_MAX_BYTES } from '../files/photos';
import type { FilesStorage } from '../files/files.types';
import type { IdentityStorage } from '../identity/identity.types';
import { createOutbox } from '../outbox/outbox.service';
import type { OutboxStorage } from '../outbox/outbox.types';
import { hazardRules } from './hazards.policy';
import { hazardRoutes } from './hazards.routes';
import { createHazardService } from './hazards.service';
import type { HazardsStorage } from './hazards.types';
import { hazardsStore } from './storage';

export type HazardNeeds = HazardsStorage & IdentityStorage & OutboxStorage & FilesStorage & BodiesStorage & Pick<CompoundsStorage, 'compounds'>
  & Pick<StorageBase, 'atomically' | 'limiterStore'>;

/** The text fields of a multipart report (the JSON body's names), and its repeatable file field. */
const MULTIPART_FIELDS = ['category', 'description', 'lng', 'lat', 'coordSys', 'address', 'district'];

/** 随手拍: hazard reports routed by 三事分流, support and duplicates, status updates to reporters, points. */
export const hazardsFeature: Feature<HazardsStorage, HazardNeeds> = {
  name: 'hazards',
  store: hazardsStore,
  rules: hazardRules,
  routes: (ctx) => {
    const { storage, clock, config, identity } = ctx;
    const outbox = createOutbox({ storage, config, clock });
    const router = createRouter({ storage, nearCompoundM: config.hazardRouting.compoundDistanceM });
    const photos = createPhotoStore(storage.files, 'hazards');
    const wechatOn = Boolean(config.wechat.appId && config.wechat.appSecret);
    const service = createHazardService({
      storage, clock,
      route: (input) => router.route(input),
      districtAt: districtOf,
      // Demo riders' openids are made up: WeChat would refuse them, so their text is not sent.
      checkText: async (text, rider) => (wechatOn && rider.openid && !rider.isDemo ? identity.wechat.msgSecCheck({ openid: rider.openid, content: text, scene: 3 }) : { suggest: 'pass' }),
      photos,
      emit: async (notices) => {
        await outbox.emit(notices);
      },
    });
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
