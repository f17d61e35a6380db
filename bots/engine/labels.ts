import { CITY_NAMES, type Amenity, type City, type MerchantCategory, type STAFF_ROLES } from '../api-contract';

type StaffRole = (typeof STAFF_ROLES)[number];

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

/** How a title names stations with an amenity: 「有热水的驿站」「能充电的驿站」. */
export const AMENITY_TITLES: Record<Amenity, string> = {
  drinking_water: '有饮用水',
  hot_water: '有热水',
  microwave: '能热饭',
  fridge: '有冰箱',
  phone_charging: '能充电',
  ebike_charging: '能给电动车充电',
  battery_swap: '能换电',
  toilet: '有卫生间',
  seating: '有座椅',
  air_conditioning: '有空调',
  wifi: '有WiFi',
  first_aid: '有急救箱',
  rain_gear: '有雨具',
  repair_tools: '有修车工具',
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
export const ROLE_LABELS: Record<StaffRole | 'rider', string> = {
  rider: '骑手', city_admin: '市级管理员', station_operator: '驿站运营方', merchant_owner: '商户', property_manager: '物业', gate_guard: '门岗', body_staff: '责任单位工作人员',
};

/** The cities the service runs in, named as the service names them. */
export const CITY_LABELS: Record<City, string> = CITY_NAMES;

/** A role's label, or '工作人员' for one this bot does not know yet. */
export const roleLabel = (role: string): string => (ROLE_LABELS as Record<string, string>)[role] ?? '工作人员';

/** A city's name, or the code itself for one this bot does not know yet. */
export const cityLabel = (city: string): string => (CITY_LABELS as Record<string, string>)[city] ?? city;
