import { roundLngLat, toWgs84, type LngLat } from '../../shared/geo';
import type { City } from '../../shared/domain';

export type PlaceKind = 'district' | 'county' | 'area' | 'landmark';

/** A named place riders search by. `location` is WGS-84. */
export interface Place {
  name: string;
  shortName: string;
  city: City;
  kind: PlaceKind;
  location: LngLat;
  /** A sensible search radius around `location`, metres. */
  radiusM: number;
  aliases: string[];
  /** For a landmark, the full name of the district or area it lies in; null otherwise. */
  district: string | null;
}

interface Extra {
  short?: string;
  aliases?: string[];
  district?: string;
}

/**
 * [full name, kind, lng, lat, radiusM, extra]. Points are GCJ-02, as read off Gaode/Tencent maps, so they can be
 * checked against a map picker; they are converted to WGS-84 once, below. Districts use the government seat or
 * the urban core; accuracy is roughly 0.5-1 km, enough to centre a search, not to navigate.
 */
type Row = [string, PlaceKind, number, number, number, Extra?];

const CHONGQING: Row[] = [
  // 26 districts
  ['万州区', 'district', 108.380246, 30.807807, 6000],
  ['黔江区', 'district', 108.782577, 29.527548, 6000],
  ['涪陵区', 'district', 107.394905, 29.703652, 6000],
  ['渝中区', 'district', 106.568896, 29.552736, 2500],
  ['大渡口区', 'district', 106.482346, 29.484527, 4000],
  ['江北区', 'district', 106.574271, 29.606703, 6000],
  ['沙坪坝区', 'district', 106.4542, 29.541224, 5000],
  ['九龙坡区', 'district', 106.480989, 29.523492, 5000],
  ['南岸区', 'district', 106.560813, 29.523992, 4500],
  ['北碚区', 'district', 106.437868, 29.82543, 6000],
  ['綦江区', 'district', 106.651417, 29.028091, 6000, { aliases: ['綦江县'] }],
  ['大足区', 'district', 105.715319, 29.700498, 6000, { aliases: ['大足县'] }],
  ['渝北区', 'district', 106.512851, 29.601451, 6000],
  ['巴南区', 'district', 106.519423, 29.381919, 6000],
  ['长寿区', 'district', 107.074854, 29.833671, 6000],
  ['江津区', 'district', 106.253156, 29.283387, 6000],
  ['合川区', 'district', 106.265554, 29.990993, 6000],
  ['永川区', 'district', 105.894714, 29.348748, 6000],
  ['南川区', 'district', 107.098153, 29.156646, 6000],
  ['璧山区', 'district', 106.231126, 29.593581, 6000, { aliases: ['璧山县'] }],
  ['铜梁区', 'district', 106.054948, 29.839944, 6000, { aliases: ['铜梁县'] }],
  ['潼南区', 'district', 105.841818, 30.189554, 6000, { aliases: ['潼南县'] }],
  ['荣昌区', 'district', 105.594061, 29.403627, 6000, { aliases: ['荣昌县'] }],
  ['开州区', 'district', 108.413317, 31.167735, 6000, { aliases: ['开县'] }],
  ['梁平区', 'district', 107.800034, 30.672168, 6000, { aliases: ['梁平县'] }],
  ['武隆区', 'district', 107.75655, 29.32376, 6000, { aliases: ['武隆县'] }],
  // 8 counties, 4 autonomous counties
  ['城口县', 'county', 108.6649, 31.946293, 6000],
  ['丰都县', 'county', 107.73248, 29.866424, 6000],
  ['垫江县', 'county', 107.348692, 30.330012, 6000],
  ['忠县', 'county', 108.037518, 30.291537, 6000],
  ['云阳县', 'county', 108.697698, 30.930529, 6000],
  ['奉节县', 'county', 109.465774, 31.019967, 6000],
  ['巫山县', 'county', 109.878928, 31.074843, 6000],
  ['巫溪县', 'county', 109.628912, 31.3966, 6000],
  ['石柱土家族自治县', 'county', 108.112448, 29.99853, 6000, { aliases: ['石柱县'] }],
  ['秀山土家族苗族自治县', 'county', 108.996043, 28.444772, 6000, { aliases: ['秀山县'] }],
  ['酉阳土家族苗族自治县', 'county', 108.767201, 28.839828, 6000, { aliases: ['酉阳县'] }],
  ['彭水苗族土家族自治县', 'county', 108.166551, 29.293856, 6000, { aliases: ['彭水县'] }],
  // functional areas (not county-level divisions)
  ['两江新区', 'area', 106.52, 29.655, 10000, { aliases: ['两江'] }],
  ['重庆高新区', 'area', 106.33, 29.59, 10000, { aliases: ['高新区', '重庆科学城', '科学城'] }],
  // landmarks
  ['解放碑', 'landmark', 106.5771, 29.5572, 800, { district: '渝中区', aliases: ['解放碑步行街'] }],
  ['洪崖洞', 'landmark', 106.5793, 29.5633, 600, { district: '渝中区' }],
  ['朝天门', 'landmark', 106.587, 29.5652, 800, { district: '渝中区', aliases: ['朝天门广场'] }],
  ['大坪', 'landmark', 106.5195, 29.541, 1000, { district: '渝中区' }],
  ['李子坝', 'landmark', 106.5335, 29.5525, 600, { district: '渝中区', aliases: ['李子坝轻轨站'] }],
  ['鹅岭', 'landmark', 106.542, 29.551, 800, { district: '渝中区', aliases: ['鹅岭公园', '鹅岭二厂'] }],
  ['重庆站', 'landmark', 106.5535, 29.5485, 800, { district: '渝中区', aliases: ['菜园坝', '菜园坝火车站'] }],
  ['观音桥', 'landmark', 106.532, 29.5755, 1000, { district: '江北区', aliases: ['观音桥步行街'] }],
  ['磁器口', 'landmark', 106.449, 29.5805, 800, { district: '沙坪坝区', aliases: ['磁器口古镇'] }],
  ['三峡广场', 'landmark', 106.4572, 29.558, 800, { district: '沙坪坝区' }],
  ['沙坪坝站', 'landmark', 106.4568, 29.5605, 600, { district: '沙坪坝区', aliases: ['沙坪坝火车站'] }],
  ['小龙坎', 'landmark', 106.465, 29.552, 800, { district: '沙坪坝区' }],
  ['重庆西站', 'landmark', 106.437, 29.512, 1000, { district: '沙坪坝区' }],
  ['大学城', 'landmark', 106.309, 29.608, 2500, { district: '沙坪坝区', aliases: ['重庆大学城'] }],
  ['西永', 'landmark', 106.338, 29.586, 1500, { district: '沙坪坝区' }],
  ['杨家坪', 'landmark', 106.511, 29.504, 1000, { district: '九龙坡区', aliases: ['杨家坪步行街'] }],
  ['石桥铺', 'landmark', 106.493, 29.538, 1000, { district: '九龙坡区' }],
  ['南坪', 'landmark', 106.562, 29.53, 1000, { district: '南岸区', aliases: ['南坪步行街'] }],
  ['重庆北站', 'landmark', 106.5505, 29.609, 1000, { district: '渝北区', aliases: ['重庆火车北站'] }],
  ['龙头寺', 'landmark', 106.5578, 29.6035, 1000, { district: '渝北区', aliases: ['龙头寺公园'] }],
  ['光电园', 'landmark', 106.508, 29.617, 1000, { district: '渝北区' }],
  ['江北机场', 'landmark', 106.643, 29.721, 2000, { district: '渝北区', aliases: ['重庆江北国际机场', '重庆机场'] }],
];

const CHENGDU: Row[] = [
  // 12 districts
  ['锦江区', 'district', 104.080989, 30.657689, 3000],
  ['青羊区', 'district', 104.055731, 30.667648, 3000],
  ['金牛区', 'district', 104.043487, 30.692058, 3500],
  ['武侯区', 'district', 104.05167, 30.630862, 3500],
  ['成华区', 'district', 104.103077, 30.660275, 3500],
  ['龙泉驿区', 'district', 104.269181, 30.56065, 6000, { aliases: ['龙泉'] }],
  ['青白江区', 'district', 104.25494, 30.883438, 6000],
  ['新都区', 'district', 104.16022, 30.824223, 6000],
  ['温江区', 'district', 103.836776, 30.697996, 6000],
  ['双流区', 'district', 103.922706, 30.573243, 6000, { aliases: ['双流县'] }],
  ['郫都区', 'district', 103.887842, 30.808752, 6000, { aliases: ['郫县'] }],
  ['新津区', 'district', 103.812449, 30.414284, 6000, { aliases: ['新津县'] }],
  // 3 counties, 5 county-level cities
  ['金堂县', 'county', 104.415604, 30.858417, 6000],
  ['大邑县', 'county', 103.522397, 30.586602, 6000],
  ['蒲江县', 'county', 103.511541, 30.194359, 6000],
  ['都江堰市', 'county', 103.627898, 30.99114, 6000, { aliases: ['灌县'] }],
  ['彭州市', 'county', 103.941173, 30.985161, 6000],
  ['邛崃市', 'county', 103.46143, 30.413271, 6000],
  ['崇州市', 'county', 103.671049, 30.631478, 6000],
  ['简阳市', 'county', 104.550339, 30.390666, 8000],
  // functional areas
  ['成都高新区', 'area', 104.06, 30.58, 6000, { aliases: ['高新区', '成都高新'] }],
  ['天府新区', 'area', 104.075, 30.43, 12000, { aliases: ['四川天府新区'] }],
  // landmarks
  ['春熙路', 'landmark', 104.0805, 30.656, 800, { district: '锦江区', aliases: ['春熙路步行街'] }],
  ['太古里', 'landmark', 104.0847, 30.654, 600, { district: '锦江区', aliases: ['远洋太古里'] }],
  ['九眼桥', 'landmark', 104.0905, 30.6395, 800, { district: '锦江区' }],
  ['盐市口', 'landmark', 104.072, 30.654, 800, { district: '锦江区' }],
  ['天府广场', 'landmark', 104.0657, 30.6573, 800, { district: '青羊区' }],
  ['宽窄巷子', 'landmark', 104.0545, 30.6635, 600, { district: '青羊区' }],
  ['骡马市', 'landmark', 104.0645, 30.671, 800, { district: '青羊区' }],
  ['锦里', 'landmark', 104.0505, 30.6455, 500, { district: '武侯区', aliases: ['锦里古街'] }],
  ['武侯祠', 'landmark', 104.0478, 30.6463, 500, { district: '武侯区' }],
  ['玉林', 'landmark', 104.0575, 30.631, 1000, { district: '武侯区', aliases: ['玉林路'] }],
  ['成都南站', 'landmark', 104.0715, 30.6055, 800, { district: '武侯区', aliases: ['火车南站'] }],
  ['火车北站', 'landmark', 104.074, 30.6965, 800, { district: '金牛区', aliases: ['成都站', '成都火车北站'] }],
  ['五块石', 'landmark', 104.08, 30.71, 1000, { district: '金牛区' }],
  ['成都东站', 'landmark', 104.141, 30.629, 800, { district: '成华区', aliases: ['火车东站'] }],
  ['建设路', 'landmark', 104.105, 30.67, 1000, { district: '成华区' }],
  ['东郊记忆', 'landmark', 104.129, 30.67, 600, { district: '成华区' }],
  ['熊猫基地', 'landmark', 104.147, 30.733, 1000, { district: '成华区', aliases: ['大熊猫繁育研究基地'] }],
  ['双流机场', 'landmark', 103.949, 30.577, 2000, { district: '双流区', aliases: ['成都双流国际机场'] }],
  ['犀浦', 'landmark', 103.974, 30.7595, 1500, { district: '郫都区' }],
  ['天府机场', 'landmark', 104.445, 30.315, 2500, { district: '简阳市', aliases: ['成都天府国际机场'] }],
  ['金融城', 'landmark', 104.0695, 30.579, 1000, { district: '成都高新区', aliases: ['交子金融城'] }],
  ['环球中心', 'landmark', 104.0658, 30.57, 800, { district: '成都高新区', aliases: ['新世纪环球中心'] }],
  ['高新南区', 'landmark', 104.061, 30.565, 2500, { district: '成都高新区' }],
  ['天府三街', 'landmark', 104.062, 30.546, 800, { district: '成都高新区' }],
  ['华阳', 'landmark', 104.052, 30.498, 2000, { district: '天府新区' }],
  ['兴隆湖', 'landmark', 104.081, 30.403, 1500, { district: '天府新区' }],
];

const SUFFIX = /(土家族苗族自治县|苗族土家族自治县|土家族自治县|自治县|区|县|市)$/;

/** The everyday name: 沙坪坝区 -> 沙坪坝, 石柱土家族自治县 -> 石柱; one-character results (忠县) keep the suffix. */
export function shortNameOf(name: string): string {
  const short = name.replace(SUFFIX, '');
  return short.length >= 2 ? short : name;
}

function build(city: City, rows: Row[]): Place[] {
  return rows.map(([name, kind, lng, lat, radiusM, extra = {}]) => Object.freeze({
    name,
    shortName: extra.short ?? (kind === 'district' || kind === 'county' ? shortNameOf(name) : name),
    city,
    kind,
    location: roundLngLat(toWgs84({ lng, lat }, 'gcj02')),
    radiusM,
    aliases: extra.aliases ?? [],
    district: extra.district ?? null,
  }));
}

/** Districts, counties, functional areas and landmarks of Chongqing and Chengdu. */
export const GAZETTEER: readonly Place[] = Object.freeze([...build('chongqing', CHONGQING), ...build('chengdu', CHENGDU)]);
