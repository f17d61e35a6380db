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
  /** Commands: each list holds the words that start (or, for whole-message commands, are) the command. */
  commands: CommandWords;
  /** Answers inside a flow: confirm a report, skip its photo, support the nearby one. */
  confirmWords: string[];
  skipWords: string[];
  supportWords: string[];
}

/** The words of each command; riders' typos within one character are accepted for words of three or more. */
export interface CommandWords {
  /** '进小区 幸福里' */
  enter: string[];
  /** '我的通行码' (whole message) */
  myCode: string[];
  /** '上报', '随手拍 井盖坏了' */
  report: string[];
  /** '我的上报' (whole message) */
  myReports: string[];
  /** '空位 5' */
  seats: string[];
  /** '满员' (whole message) */
  full: string[];
  /** '暂停开放 停电检修' */
  pause: string[];
  /** '恢复开放' (whole message) */
  reopen: string[];
  /** '待审批' (whole message) */
  pending: string[];
  /** '同意 2' */
  approve: string[];
  /** '拒绝 2 不是本小区骑手' */
  deny: string[];
  /** '核验 128 405 9371' */
  verify: string[];
  /** '换门' (whole message): a guard picks the gate again */
  changeGate: string[];
  /** '取消' (whole message): stops a report or a choice */
  cancel: string[];
  /** '工作人员帮助' (whole message) */
  staffHelp: string[];
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
  commands: {
    enter: ['进小区', '进入小区', '申请进小区', '小区通行'],
    myCode: ['我的通行码', '通行码', '出示通行码', '我的通行证', '通行证'],
    report: ['随手拍', '上报隐患', '隐患上报', '上报', '举报'],
    myReports: ['我的上报', '我的随手拍', '上报进度', '我的隐患'],
    seats: ['空位', '空座', '余位', '剩余座位'],
    full: ['满员', '已满员', '满座', '座位满了', '满了'],
    pause: ['暂停开放', '暂停营业', '临时关闭', '暂停'],
    reopen: ['恢复开放', '恢复营业', '重新开放'],
    pending: ['待审批', '待审核', '审批列表', '待批', '审批'],
    approve: ['同意', '批准', '通过'],
    deny: ['拒绝', '驳回', '不同意'],
    verify: ['核验', '验码', '核对', '验证'],
    changeGate: ['换门', '切换门', '换小区'],
    cancel: ['取消', '算了', '退出', '不报了', '不用了'],
    staffHelp: ['工作人员帮助', '员工帮助', '管理帮助', '工作人员'],
  },
  confirmWords: ['确认', '确定', '提交', '确认上报', '是', '是的', '好', '好的', '对', '可以', 'ok', 'yes', 'y'],
  skipWords: ['跳过', '不用', '没有', '无', '不拍', '不发', '没照片', 'skip'],
  supportWords: ['支持', '我也遇到了', '同一个', '就是这个'],
};

/** A vocabulary with some lists or tables replaced; tables are merged key by key. */
export function createVocabulary(overrides: Partial<Vocabulary> = {}): Vocabulary {
  return {
    ...DEFAULT_VOCABULARY,
    ...overrides,
    merchantWords: { ...DEFAULT_VOCABULARY.merchantWords, ...overrides.merchantWords },
    amenityWords: { ...DEFAULT_VOCABULARY.amenityWords, ...overrides.amenityWords },
    commands: { ...DEFAULT_VOCABULARY.commands, ...overrides.commands },
  };
}
