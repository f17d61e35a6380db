/**
 * Places riders may type that the service does not cover: every province-level division except 重庆 (ours) and
 * 四川 (成都 is in it, so "not covered" would be wrong for the province), the capitals and other large cities,
 * and Sichuan's other prefecture-level cities, which riders around 成都 are most likely to try.
 */
const PROVINCES = [
  '北京', '天津', '上海', '河北', '山西', '内蒙古', '辽宁', '吉林', '黑龙江', '江苏', '浙江', '安徽', '福建', '江西', '山东',
  '河南', '湖北', '湖南', '广东', '广西', '海南', '贵州', '云南', '西藏', '陕西', '甘肃', '青海', '宁夏', '新疆', '香港',
  '澳门', '台湾',
];

const CITIES = [
  '石家庄', '太原', '呼和浩特', '包头', '沈阳', '大连', '长春', '哈尔滨', '南京', '苏州', '无锡', '杭州', '宁波', '温州', '合肥',
  '福州', '厦门', '泉州', '南昌', '济南', '青岛', '郑州', '洛阳', '武汉', '宜昌', '长沙', '广州', '深圳', '东莞', '佛山', '珠海',
  '南宁', '桂林', '海口', '三亚', '贵阳', '遵义', '昆明', '大理', '丽江', '拉萨', '西安', '兰州', '西宁', '银川', '乌鲁木齐',
  '台北',
  // Sichuan outside Chengdu
  '绵阳', '德阳', '自贡', '攀枝花', '泸州', '广元', '遂宁', '内江', '乐山', '南充', '眉山', '宜宾', '广安', '达州', '雅安',
  '巴中', '资阳', '阿坝', '甘孜', '凉山', '西昌',
];

const NAMES = new Set([...PROVINCES, ...CITIES]);

// Longest first, so 广西壮族自治区 loses its whole suffix rather than just 区.
const SUFFIX = /(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|省|市)$/;
const PREFIX = new RegExp(`^(${[...NAMES].join('|')})(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|省|市)`);

/**
 * The outside place a normalised query names, or null: 北京, 北京市, 广西壮族自治区, or a longer name that starts
 * with one and its suffix (北京市朝阳区, 广东省广州市). Only asked after the gazetteer found nothing.
 */
export function outsideServiceArea(key: string): string | null {
  const bare = key.replace(SUFFIX, '');
  if (NAMES.has(bare)) return bare;
  return PREFIX.exec(key)?.[1] ?? null;
}
