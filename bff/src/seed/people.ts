/**
 * Fictitious people and businesses for generated cases: names, ID numbers with a valid check
 * character, mobile numbers, addresses, and businesses with valid GB 32100 credit codes.
 */
import { creditCodeCheckChar } from '../../../shared/complaint/credit-code';
import { idNumberCheckChar } from '../../../shared/identity/id-number';
import { KNOWN_PLATFORMS } from '../../../shared/complaint/intake';
import { findRegion } from '../modules/regions/regions.service';
import type { Rng } from './random';

const SURNAMES = Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤');
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方'];
const GIVEN = Array.from('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍鹏宇辉建国红梅婷浩然子涵欣怡思雨俊杰晨阳嘉怡一诺梓轩雨桐文博佳琪志强秀珍海燕立新春燕永刚淑华晓东');
const STREETS = ['人民路', '解放路', '中山路', '建设路', '新华街', '文化路', '东风路', '和平路', '胜利街', '长江路', '黄河路', '朝阳路', '光明街', '青年路', '幸福路', '工业大道', '学府路', '滨江路', '花园街', '迎宾大道'];
const BRAND = Array.from('鑫源华联佳和优品锦程恒泰瑞丰汇通宏达新悦美康盛嘉天润安博立信诚合众金银东方鼎兴福隆顺昌');
const MOBILE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157', '158', '159', '166', '176', '177', '180', '181', '182', '183', '185', '186', '187', '188', '189', '191', '198', '199'];

export interface Person {
  name: string;
  idNumber: string;
  phone: string;
  address: string;
}

function givenName(rng: Rng): string {
  const one = rng.pick(GIVEN);
  return rng.chance(0.3) ? one : one + rng.pick(GIVEN);
}

export function personName(rng: Rng): string {
  const surname = rng.chance(0.01) ? rng.pick(COMPOUND_SURNAMES) : rng.pick(SURNAMES);
  return surname + givenName(rng);
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** 18 characters: home county, a birth date between 1950 and 2005, a sequence, the check character. */
export function idNumber(rng: Rng, countyCode: string): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + rng.int(0, 55 * 365) * 86_400_000);
  const first17 = countyCode + birth.toISOString().slice(0, 10).replaceAll('-', '') + pad(rng.int(0, 999), 3);
  return first17 + idNumberCheckChar(first17);
}

export function mobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + pad(rng.int(0, 99_999_999), 8);
}

export function streetAddress(rng: Rng, countyCode: string): string {
  const region = findRegion(countyCode);
  const place = region?.fullName ?? '';
  const building = rng.chance(0.6) ? `${rng.int(1, 30)}栋${rng.int(1, 28)}0${rng.int(1, 6)}室` : '';
  return `${place}${rng.pick(STREETS)}${rng.int(1, 399)}号${building}`;
}

export function person(rng: Rng, homeCounty: string): Person {
  return { name: personName(rng), idNumber: idNumber(rng, homeCounty), phone: mobile(rng), address: streetAddress(rng, homeCounty) };
}

// --- Businesses ---

const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CHARS = Array.from(CREDIT_CHARSET);
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11714 organisation code check character over 8 characters (digits and capital letters). */
function orgCodeCheck(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const ch = first8[i];
    const value = ch >= '0' && ch <= '9' ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += value * ORG_WEIGHTS[i];
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/**
 * A unified social credit code: registration authority 9 (market regulation), 1 for a company or
 * 2 for an individual business, the county of registration, a 9-character organisation code with
 * its own check character, and the GB 32100 check character.
 */
export function creditCode(rng: Rng, countyCode: string, individual: boolean): string {
  const org = rng.chance(0.6)
    ? 'MA' + Array.from({ length: 6 }, () => rng.pick(CREDIT_CHARS)).join('')
    : pad(rng.int(0, 99_999_999), 8);
  const first17 = `9${individual ? '2' : '1'}${countyCode}${org}${orgCodeCheck(org)}`;
  return first17 + creditCodeCheckChar(first17);
}

/** The words a business of each category puts in its name, and what a one-person shop is called. */
const TRADE: Record<string, { company: string[]; shop: string[] }> = {
  'goods.food': { company: ['食品', '商贸', '生鲜超市', '粮油'], shop: ['超市', '便利店', '水果店', '副食店'] },
  'goods.appliance': { company: ['电器', '家电销售', '电器连锁'], shop: ['家电行', '电器商行'] },
  'goods.digital': { company: ['数码科技', '通讯设备', '电子科技'], shop: ['手机店', '数码商行'] },
  'goods.clothing': { company: ['服饰', '鞋业', '服装'], shop: ['服装店', '鞋店'] },
  'goods.vehicle': { company: ['汽车销售服务', '汽车贸易', '新能源汽车销售'], shop: ['车行', '电动车行'] },
  'goods.cosmetics': { company: ['化妆品', '美妆科技', '日化'], shop: ['化妆品店', '美妆店'] },
  'goods.other': { company: ['家居', '百货', '贸易'], shop: ['家具店', '五金店', '百货店'] },
  'services.catering': { company: ['餐饮管理', '酒店管理', '餐饮'], shop: ['饭店', '火锅店', '烧烤店', '面馆'] },
  'services.education': { company: ['教育科技', '教育咨询', '文化传播'], shop: ['培训中心', '艺术培训部'] },
  'services.internet': { company: ['网络科技', '信息技术', '互联网科技'], shop: ['网络工作室'] },
  'services.fitness': { company: ['健身服务', '体育文化', '体育发展'], shop: ['健身房', '瑜伽馆', '游泳馆'] },
  'services.beauty': { company: ['美容服务', '医疗美容', '美发'], shop: ['美容院', '美发店', '美甲店'] },
  'services.travel': { company: ['国际旅行社', '旅游', '旅行社'], shop: ['旅游服务部'] },
  'services.other': { company: ['家政服务', '物业管理', '装饰工程', '房地产经纪'], shop: ['家政服务部', '维修部', '洗衣店'] },
};

export interface Respondent {
  name: string;
  creditCode: string;
  address: string;
  /** Place of business. */
  regionCode: string;
  /** Registered domicile, when it is another county. */
  domicileRegionCode?: string;
  /** The online platform the business sells on. */
  platform?: { name: string; regionCode: string };
  /** Categories of what it sells, most common first. */
  categories: string[];
}

/** 北京市 -> 北京, 广州市 -> 广州, 延边朝鲜族自治州 -> 延边. */
function cityShortName(countyCode: string): string {
  const county = findRegion(countyCode);
  const city = county?.parent ? findRegion(county.parent) : undefined;
  const province = city?.parent ? findRegion(city.parent) : undefined;
  const base = city && !['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'].includes(city.name) ? city.name : province?.name ?? county?.name ?? '';
  return base.replace(/(市|地区|盟|.{0,6}自治州|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区|省)$/, '') || base;
}

export function respondent(
  rng: Rng,
  opts: { county: string; category: string; otherCategories: string[]; domicileCounty?: string; sellsOnline: boolean; platforms: ReadonlyArray<{ name: string; regionCode: string }> },
): Respondent {
  const trade = TRADE[opts.category];
  const individual = rng.chance(0.25);
  const brand = rng.pick(BRAND) + rng.pick(BRAND);
  const city = cityShortName(opts.county);
  const name = individual
    ? `${city}${brand}${rng.pick(trade.shop)}`
    : `${city}${brand}${rng.pick(trade.company)}${rng.chance(0.85) ? '有限公司' : '有限责任公司'}${rng.chance(0.08) ? `${findRegion(opts.county)?.name ?? ''}分公司` : ''}`;
  const registeredIn = opts.domicileCounty ?? opts.county;
  return {
    name,
    creditCode: creditCode(rng, registeredIn, individual),
    address: streetAddress(rng, opts.county),
    regionCode: opts.county,
    ...(opts.domicileCounty && opts.domicileCounty !== opts.county ? { domicileRegionCode: opts.domicileCounty } : {}),
    ...(opts.sellsOnline && opts.platforms.length ? { platform: rng.pick(opts.platforms) } : {}),
    categories: [opts.category, ...opts.otherCategories],
  };
}

/** The platforms whose domicile county has a bureau in the directory. */
export function platformsIn(bureauCodes: ReadonlySet<string>) {
  return KNOWN_PLATFORMS.filter((p) => bureauCodes.has(p.regionCode));
}
