import type { Feature } from '../../feature';
import type { StorageBase } from '../../storage/types';
import type { IdentityStorage } from '../identity/identity.types';
import { createOutbox } from '../outbox/outbox.service';
import type { OutboxStorage } from '../outbox/outbox.types';
import { hazardRules } from './hazards.policy';
import { hazardRoutes } from './hazards.routes';
import { createHazardService } from './hazards.service';
import type { HazardsStorage } from './hazards.types';
import { hazardsStore } from './storage';
import { districtAt } from './districts';

export type HazardNeeds = HazardsStorage & IdentityStorage & OutboxStorage & Pick<StorageBase, 'atomically' | 'limiterStore'>;

/** 随手拍: hazard reports routed by 三事分流, support and duplicates, status updates to reporters, points. */
export const hazardsFeature: Feature<HazardsStorage, HazardNeeds> = {
  name: 'hazards',
  store: hazardsStore,
  rules: hazardRules,
  routes: (ctx) => {
    const { storage, clock, config, identity } = ctx;
    const outbox = createOutbox({ storage, config, clock });
    const wechatOn = Boolean(config.wechat.appId && config.wechat.appSecret);
    const service = createHazardService({
      storage, clock,
      route: async () => ({ bodyId: null, bodyName: null, kind: 'unrouted', compoundId: null, why: '暂无责任单位，由市级管理员分派' }),
      districtAt,
      // Demo riders' openids are made up: WeChat would refuse them, so their text is not sent.
      checkText: async (text, rider) => (wechatOn && rider.openid && !rider.isDemo ? identity.wechat.msgSecCheck({ openid: rider.openid, content: text, scene: 3 }) : { suggest: 'pass' }),
      photos: { save: async () => [], remove: async () => {} },
      emit: async (notices) => {
        await outbox.emit(notices);
      },
    });
    const routers = hazardRoutes({ ctx, service, readMultipart: async () => null, photo: async () => null, holdsBody: () => false });
    return { raw: [routers.raw], json: [routers.json] };
  },
};
