/**
 * Where generated cases come from: a weight per bureau so that volume follows population and
 * trade (big cities and their urban districts far above rural counties), with the demo bureau
 * 110105 and the rest of Beijing given a large share so the demo queue is busy.
 */
import { findRegion } from '../modules/regions/regions.service';
import type { BureauRef } from './history';

/** Relative case volume per province (GB/T 2260 prefix), roughly by population and online trade. */
const PROVINCE_WEIGHT: Record<string, number> = {
  '44': 10, '33': 8, '32': 8, '37': 6, '31': 6, '51': 5, '41': 5, '42': 4, '43': 4, '35': 4,
  '34': 3.5, '13': 3.5, '50': 3, '61': 3, '12': 2.5, '21': 2.5, '36': 2.5, '45': 2.5, '53': 2,
  '14': 1.5, '23': 1.5, '52': 1.5, '22': 1.2, '15': 1, '62': 0.8, '46': 0.8, '65': 0.8,
  '64': 0.4, '63': 0.3, '54': 0.15,
};

/** Provincial capitals and other large cities (4-digit prefixes): their counties get more cases. */
const BIG_CITIES = new Set([
  '4401', '4403', '4406', '4419', '3301', '3302', '3201', '3202', '3205', '3701', '3702', '5101', '4201', '4301',
  '3501', '3502', '2101', '2102', '6101', '4101', '3401', '1301', '5301', '4501', '3601', '2201', '2301', '1401',
  '5201', '6201', '1501', '6501', '4601', '6401', '6301', '5401',
]);
const MUNICIPALITIES = new Set(['11', '12', '31', '50']);

export const DEMO_BUREAU_CODE = '110105';
/** Shares of all cases: the demo bureau, and the other Beijing bureaus together. */
const DEMO_SHARE = 0.06;
const BEIJING_SHARE = 0.1;

function countyWeight(regionCode: string): number {
  const county = findRegion(regionCode);
  const name = county?.name ?? '';
  const city = regionCode.slice(0, 4);
  const big = BIG_CITIES.has(city) || MUNICIPALITIES.has(regionCode.slice(0, 2));
  if (name.endsWith('区')) return big ? 4 : 2;
  if (name.endsWith('市')) return big ? 2 : 1.2;
  return big ? 1 : 0.5;
}

/** A weight per bureau; bureaus of unknown regions (added by an admin) get a small one. */
export function bureauWeights(bureaus: readonly BureauRef[]): Map<string, number> {
  const byProvince = new Map<string, BureauRef[]>();
  for (const b of bureaus) {
    const p = b.regionCode.slice(0, 2);
    const list = byProvince.get(p) ?? [];
    list.push(b);
    byProvince.set(p, list);
  }
  const provinceTotal = Object.values(PROVINCE_WEIGHT).reduce((a, b) => a + b, 0);
  const weights = new Map<string, number>();
  const hasDemo = bureaus.some((b) => b.code === DEMO_BUREAU_CODE);
  for (const [province, list] of byProvince) {
    const inProvince = list.filter((b) => !(province === '11' && b.code === DEMO_BUREAU_CODE));
    const sum = inProvince.reduce((a, b) => a + countyWeight(b.regionCode), 0);
    // Beijing's share is fixed; other provinces split what is left by their weight.
    const share = province === '11' ? BEIJING_SHARE : ((PROVINCE_WEIGHT[province] ?? 0.2) / provinceTotal) * (1 - BEIJING_SHARE - DEMO_SHARE);
    for (const b of inProvince) weights.set(b.code, (share * countyWeight(b.regionCode)) / sum);
  }
  if (hasDemo) weights.set(DEMO_BUREAU_CODE, DEMO_SHARE);
  return weights;
}

/** Other bureaus of the same city (4-digit prefix), for a supervisor's reassignment. */
export function cityNeighbours(bureaus: readonly BureauRef[]): Map<string, BureauRef[]> {
  const byCity = new Map<string, BureauRef[]>();
  for (const b of bureaus) {
    const city = b.regionCode.slice(0, 4);
    const list = byCity.get(city) ?? [];
    list.push(b);
    byCity.set(city, list);
  }
  return byCity;
}
