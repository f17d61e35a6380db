import { outsideServiceArea } from '../../src/modules/places/elsewhere';
import { GAZETTEER, type Place } from '../../src/modules/places/gazetteer';
import { createPlaceIndex } from '../../src/modules/places/places.service';
import { NotFoundError, ValidationError } from '../../src/shared/errors';
import { haversineM } from '../../src/shared/geo';
import type { City } from '../../src/shared/domain';
import { thrown } from '../helpers/errors';

const CHONGQING_DIVISIONS = [
  '万州区', '黔江区', '涪陵区', '渝中区', '大渡口区', '江北区', '沙坪坝区', '九龙坡区', '南岸区', '北碚区', '綦江区', '大足区',
  '渝北区', '巴南区', '长寿区', '江津区', '合川区', '永川区', '南川区', '璧山区', '铜梁区', '潼南区', '荣昌区', '开州区',
  '梁平区', '武隆区', '城口县', '丰都县', '垫江县', '忠县', '云阳县', '奉节县', '巫山县', '巫溪县', '石柱土家族自治县',
  '秀山土家族苗族自治县', '酉阳土家族苗族自治县', '彭水苗族土家族自治县',
];
const CHENGDU_DIVISIONS = [
  '锦江区', '青羊区', '金牛区', '武侯区', '成华区', '龙泉驿区', '青白江区', '新都区', '温江区', '双流区', '郫都区', '新津区',
  '金堂县', '大邑县', '蒲江县', '都江堰市', '彭州市', '邛崃市', '崇州市', '简阳市',
];
const NAMED_LANDMARKS = [
  '解放碑', '观音桥', '洪崖洞', '朝天门', '磁器口', '三峡广场', '杨家坪', '南坪', '大坪', '沙坪坝站', '重庆北站', '重庆西站',
  '江北机场', '大学城', '李子坝', '鹅岭', '龙头寺', '光电园', '西永', '春熙路', '天府广场', '太古里', '宽窄巷子', '锦里', '武侯祠',
  '九眼桥', '成都东站', '成都南站', '双流机场', '天府机场', '金融城', '环球中心', '火车北站', '骡马市', '建设路', '玉林', '高新南区',
  '犀浦',
];
const BOXES: Record<City, { minLng: number; maxLng: number; minLat: number; maxLat: number }> = {
  chongqing: { minLng: 105.2, maxLng: 110.2, minLat: 28.1, maxLat: 32.3 },
  chengdu: { minLng: 102.9, maxLng: 104.9, minLat: 30.0, maxLat: 31.5 },
};

const index = createPlaceIndex();
const byName = new Map(GAZETTEER.map((p) => [p.name, p]));
const divisions = (city: City) => GAZETTEER.filter((p) => p.city === city && (p.kind === 'district' || p.kind === 'county'));
const landmarks = GAZETTEER.filter((p) => p.kind === 'landmark');


describe('gazetteer', () => {
  it('lists the 38 county-level divisions of Chongqing and the 20 of Chengdu, no more', () => {
    expect(divisions('chongqing').map((p) => p.name).sort()).toEqual([...CHONGQING_DIVISIONS].sort());
    expect(divisions('chengdu').map((p) => p.name).sort()).toEqual([...CHENGDU_DIVISIONS].sort());
    expect(divisions('chongqing')).toHaveLength(38);
    expect(divisions('chengdu')).toHaveLength(20);
  });

  it('has 40+ landmarks including the well-known ones', () => {
    expect(landmarks.length).toBeGreaterThanOrEqual(40);
    for (const name of NAMED_LANDMARKS) expect(byName.get(name)?.kind).toBe('landmark');
  });

  it.each(GAZETTEER.map((p) => [p.name, p] as const))('puts %s inside its city and gives it a radius', (_name, p: Place) => {
    const box = BOXES[p.city];
    expect(p.location.lng).toBeGreaterThan(box.minLng);
    expect(p.location.lng).toBeLessThan(box.maxLng);
    expect(p.location.lat).toBeGreaterThan(box.minLat);
    expect(p.location.lat).toBeLessThan(box.maxLat);
    expect(p.radiusM).toBeGreaterThan(0);
  });

  it.each(landmarks.map((p) => [p.name, p.district, p] as const))('places landmark %s within 20 km of %s', (_n, _d, p: Place) => {
    const district = byName.get(p.district ?? '');
    expect(district?.city).toBe(p.city);
    expect(district?.kind).not.toBe('landmark');
    expect(haversineM(p.location, (district as Place).location)).toBeLessThan(20_000);
  });
});

describe('resolving a place', () => {
  it.each([...CHONGQING_DIVISIONS, ...CHENGDU_DIVISIONS, ...NAMED_LANDMARKS])('resolves %s by its full name', (name) => {
    expect(index.resolve(name).name).toBe(name);
  });

  it.each([...divisions('chongqing'), ...divisions('chengdu')].map((p) => [p.shortName, p.name]))(
    'resolves the short name %s to %s', (short, name) => {
      expect(index.resolve(short).name).toBe(name);
    },
  );

  it.each([
    ['沙坪坝', '沙坪坝区'], ['石柱', '石柱土家族自治县'], ['彭水', '彭水苗族土家族自治县'], ['忠县', '忠县'], ['都江堰', '都江堰市'],
    ['龙泉驿', '龙泉驿区'], ['郫县', '郫都区'], ['开县', '开州区'], ['成都站', '火车北站'], ['火车南站', '成都南站'],
    ['  沙坪坝区  ', '沙坪坝区'], ['沙坪坝\u3000区', '沙坪坝区'], ['重庆市渝中区', '渝中区'], ['成都 武侯', '武侯区'],
    ['重庆江北', '江北区'], ['成都高新区', '成都高新区'], ['重庆高新区', '重庆高新区'], ['成都 高新区', '成都高新区'],
  ])('resolves %j to %s', (query, name) => {
    expect(index.resolve(query).name).toBe(name);
  });

  it('refuses a name shared by both cities and lists the candidates with their city', () => {
    const err = thrown(() => index.resolve('高新区'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.status).toBe(404);
    expect(err.message).toContain('重庆高新区（重庆）');
    expect(err.details).toMatchObject({ field: 'place', candidates: ['重庆高新区（重庆）', '成都高新区（成都）'] });
  });

  it.each([
    ['沙坪', ['沙坪坝区（重庆）', '沙坪坝站（重庆）']],
    ['解放杯', ['解放碑（重庆）']],
    ['春熙', ['春熙路（成都）']],
    ['武候区', ['武侯区（成都）']],
  ])('answers an unknown %s with 404 and suggestions', (query, expected) => {
    const err = thrown(() => index.resolve(query));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe(`未找到地点「${query}」`);
    const details = err.details as { field: string; suggestions: string[] };
    expect(details.field).toBe('place');
    expect(details.suggestions.length).toBeLessThanOrEqual(5);
    expect(details.suggestions).toEqual(expect.arrayContaining(expected));
  });

  it('suggests nothing for a query that resembles no place', () => {
    expect(thrown(() => index.resolve('xyz')).details).toEqual({ field: 'place', suggestions: [] });
  });

  it.each([[''], ['   '], ['地'.repeat(51)]])('rejects %j as invalid, naming the field', (query) => {
    const err = thrown(() => index.resolve(query));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.details).toMatchObject({ field: 'place' });
  });

  it('accepts a 50-character query (and then finds nothing)', () => {
    expect(thrown(() => index.resolve('地'.repeat(50)))).toBeInstanceOf(NotFoundError);
  });
});

describe('resolving a place within a city', () => {
  it.each([
    ['春熙路', 'chengdu', '春熙路'], ['解放碑', 'chongqing', '解放碑'], ['高新区', 'chengdu', '成都高新区'],
    ['高新区', 'chongqing', '重庆高新区'], ['重庆江北', 'chongqing', '江北区'], ['成都 武侯', 'chengdu', '武侯区'],
  ] as Array<[string, City, string]>)('resolves %j in %s to %s', (query, city, name) => {
    expect(index.resolve(query, city).name).toBe(name);
  });

  it.each([
    ['春熙路', 'chongqing', '「春熙路」在成都，不在重庆；去掉 city 参数或改为 city=chengdu', ['春熙路（成都）']],
    ['解放碑', 'chengdu', '「解放碑」在重庆，不在成都；去掉 city 参数或改为 city=chongqing', ['解放碑（重庆）']],
    ['成都高新区', 'chongqing', '「成都高新区」在成都，不在重庆；去掉 city 参数或改为 city=chengdu', ['成都高新区（成都）']],
    ['重庆市渝中区', 'chengdu', '「重庆市渝中区」在重庆，不在成都；去掉 city 参数或改为 city=chongqing', ['渝中区（重庆）']],
  ] as Array<[string, City, string, string[]]>)('refuses %j with city=%s, saying which city it is in (422)', (query, city, message, candidates) => {
    const err = thrown(() => index.resolve(query, city));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.status).toBe(422);
    expect(err.message).toBe(message);
    expect(err.details).toMatchObject({ field: 'city', city, candidates });
  });

  it('still suggests for an unknown place when a city is given', () => {
    const err = thrown(() => index.resolve('解放杯', 'chongqing'));
    expect(err.message).toBe('未找到地点「解放杯」');
    expect((err.details as { suggestions: string[] }).suggestions).toContain('解放碑（重庆）');
  });
});

describe('places outside the service area', () => {
  it.each([
    '北京', '上海', '广州', '深圳', '西安', '杭州', '武汉', '贵阳', '昆明', '拉萨', '乌鲁木齐', '香港', '台湾', '绵阳', '乐山',
    '北京市', '广东省', '广西壮族自治区', '新疆维吾尔自治区', '内蒙古自治区', '香港特别行政区', '北京市朝阳区', '广东省广州市', '上海市 浦东新区',
  ])('answers %j with 404 saying the service covers 重庆 and 成都, suggesting nothing', (query) => {
    const key = query.replace(/\s+/g, '');
    for (const city of [undefined, 'chongqing', 'chengdu'] as const) {
      const err = thrown(() => index.resolve(query, city));
      expect(err).toBeInstanceOf(NotFoundError);
      expect(err.message).toBe(`本服务目前只覆盖重庆和成都，「${key}」不在服务范围内`);
      expect(err.details).toMatchObject({ field: 'place', suggestions: [] });
    }
  });

  it('never shadows a place of the gazetteer', () => {
    const keys = GAZETTEER.flatMap((p) => [p.name, p.shortName, ...p.aliases]);
    expect(keys.filter((k) => outsideServiceArea(k) !== null)).toEqual([]);
  });

  it('leaves 四川 (which holds 成都), the city names and streets named after other cities (西安路) to the suggestions', () => {
    for (const q of ['四川', '重庆', '成都', '西安路', '北京路']) expect(thrown(() => index.resolve(q)).message).toBe(`未找到地点「${q}」`);
  });
});

describe('suggest and all', () => {
  it('returns at most n display names and never throws', () => {
    expect(index.suggest('江', 3)).toHaveLength(3);
    expect(index.suggest('')).toEqual([]);
    expect(index.suggest('火车')).toEqual(expect.arrayContaining(['火车北站（成都）']));
  });

  it('hands out a copy of the entries', () => {
    const all = index.all();
    all.pop();
    expect(index.all()).toHaveLength(GAZETTEER.length);
  });

  it('refuses a gazetteer with a duplicate full name', () => {
    const p = byName.get('渝中区') as Place;
    expect(() => createPlaceIndex([p, { ...p }])).toThrow(/duplicate/);
  });
});
