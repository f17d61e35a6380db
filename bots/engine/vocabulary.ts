import type { Amenity, MerchantCategory } from '../api-contract';

/** The words the bot understands; longer phrases are matched first, so '电动车充电' wins over '充电'. */
export interface Vocabulary {
  help: string[];
  stationWords: string[];
  /** Words meaning "merchants", optionally narrowed to a category (null = any category). */
  merchantWords: Record<string, MerchantCategory | null>;
  amenityWords: Record<string, Amenity>;
  seatWords: string[];
  openNowWords: string[];
  /** Filler stripped before what remains is taken as a place name. */
  fillers: string[];
  /** Small talk answered with the hint instead of being taken for a place name. */
  smallTalk: string[];
  /** Words that, at the start of a message, introduce a staff bind code: '绑定 K7M2Q9XA'. */
  bindWords: string[];
  /** Whole messages asking which staff account this WeChat contact is bound to. */
  whoAmIWords: string[];
}

export const DEFAULT_VOCABULARY: Vocabulary = {
  help: ['帮助', 'help', '菜单', '说明', '使用说明', '怎么用', '?', '？'],
  stationWords: ['暖新驿站', '驿站', '休息点', '歇脚'],
  merchantWords: {
    暖新商户: null, 商户: null, 商家: null, 优惠: null, 折扣: null, 打折: null,
    吃饭: '餐饮', 吃的: '餐饮', 餐饮: '餐饮', 美食: '餐饮', 快餐: '餐饮', 饭: '餐饮',
    便利店: '便利店', 超市: '便利店',
    修车: '维修', 维修: '维修', 补胎: '维修',
    理发: '理发', 剪头: '理发',
    洗衣: '洗衣',
    药店: '药店', 买药: '药店', 药房: '药店',
  },
  amenityWords: {
    电动车充电: 'ebike_charging', 电瓶车充电: 'ebike_charging', 充电桩: 'ebike_charging', 车充电: 'ebike_charging',
    换电: 'battery_swap', 换电池: 'battery_swap',
    手机充电: 'phone_charging', 充电: 'phone_charging',
    热水: 'hot_water', 开水: 'hot_water', 饮水: 'drinking_water', 喝水: 'drinking_water',
    微波炉: 'microwave', 热饭: 'microwave', 冰箱: 'fridge',
    卫生间: 'toilet', 厕所: 'toilet', 洗手间: 'toilet',
    空调: 'air_conditioning', wifi: 'wifi', 无线网: 'wifi',
    急救箱: 'first_aid', 急救: 'first_aid', 座椅: 'seating', 雨衣: 'rain_gear', 雨具: 'rain_gear', 修车工具: 'repair_tools', 打气: 'repair_tools', 工具: 'repair_tools',
  },
  seatWords: ['有座位', '有位置', '有空位', '座位', '空位', '坐一下'],
  openNowWords: ['营业中', '开门的', '现在开'],
  fillers: [
    '附近的', '附近', '周边', '周围', '旁边', '最近的', '最近', '哪里有', '哪儿有', '哪里', '哪儿', '在哪',
    '有没有', '有什么', '什么', '哪些', '我在', '我要找', '我想找', '帮我找', '帮我查', '找一下', '查一下', '请问', '可以', '能不能', '查询', '查找', '搜索', '一下',
    '我', '能', '找', '查', '的', '吗', '呢', '啊', '有',
  ],
  smallTalk: ['你好', '您好', 'hi', 'hello', '在吗', '在不在', '谢谢', '多谢', '好的', '收到', '嗯', '哈哈', 'ok'],
  bindWords: ['绑定码', '绑定', 'bind'],
  whoAmIWords: ['我是谁', 'whoami', 'who am i'],
};

/** A vocabulary with some lists or tables replaced; tables are merged key by key. */
export function createVocabulary(overrides: Partial<Vocabulary> = {}): Vocabulary {
  return {
    ...DEFAULT_VOCABULARY,
    ...overrides,
    merchantWords: { ...DEFAULT_VOCABULARY.merchantWords, ...overrides.merchantWords },
    amenityWords: { ...DEFAULT_VOCABULARY.amenityWords, ...overrides.amenityWords },
  };
}
