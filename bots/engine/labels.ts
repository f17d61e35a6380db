import type { Amenity, MerchantCategory } from '../api-contract';

/** Short amenity names for replies; each also reads back as the same filter (see parse-intent tests). */
export const AMENITY_LABELS: Record<Amenity, string> = {
  drinking_water: '饮水',
  hot_water: '热水',
  microwave: '微波炉',
  fridge: '冰箱',
  phone_charging: '充电',
  ebike_charging: '电动车充电',
  battery_swap: '换电',
  toilet: '卫生间',
  seating: '座椅',
  air_conditioning: '空调',
  wifi: 'WiFi',
  first_aid: '急救箱',
  rain_gear: '雨具',
  repair_tools: '修车工具',
};

/** The word a rider would type to ask for a merchant category. */
export const CATEGORY_WORDS: Record<MerchantCategory, string> = {
  餐饮: '吃饭', 便利店: '便利店', 维修: '维修', 理发: '理发', 洗衣: '洗衣', 药店: '药店', 其他: '优惠',
};

/** The label of a known amenity code, or the code itself for one this bot does not know yet. */
export function amenityLabel(code: string): string {
  return (AMENITY_LABELS as Record<string, string>)[code] ?? code;
}

/** Staff roles (and the rider) as staff would call themselves. */
export const ROLE_LABELS: Record<string, string> = {
  rider: '骑手', city_admin: '市级管理员', station_operator: '驿站运营方', merchant_owner: '商户', property_manager: '物业', gate_guard: '门岗', body_staff: '责任单位工作人员',
};

/** The cities the service runs in. */
export const CITY_LABELS: Record<string, string> = { chongqing: '重庆', chengdu: '成都' };
