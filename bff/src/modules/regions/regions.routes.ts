import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { bureauList, bureausQuery, jurisdictionQuery, jurisdictionRecommendation, regionList, regionsQuery } from '../../../../shared/api/regions';
import { perAddress } from '../../http/rate-limit';
import * as regions from './regions.service';

export function regionRoutes(api: Api, deps: Deps): void {
  // Public look-ups share one generous budget per client address.
  const lookup = { errors: [429] as const, middleware: [perAddress(deps, 'lookup-ip', deps.config.limits.lookupIp)] };
  api.route(
    { method: 'get', path: '/regions', tag: 'regions', summary: '行政区划（GB/T 2260），按上级逐级获取', query: regionsQuery, response: regionList, ...lookup, errors: [404, 429] },
    async ({ query }) => ({ items: regions.listRegions(query.parent) }),
  );
  api.route(
    { method: 'get', path: '/bureaus', tag: 'regions', summary: '区县市场监管部门', query: bureausQuery, response: bureauList, ...lookup },
    async ({ query }) => ({ items: await regions.bureausFor(deps, query.region) }),
  );
  api.route(
    {
      method: 'get',
      path: '/jurisdiction',
      tag: 'regions',
      summary: '按住所地、经营地或平台住所地推荐管辖部门',
      query: jurisdictionQuery,
      response: jurisdictionRecommendation,
      ...lookup,
    },
    ({ query }) =>
      regions.recommendBureau(deps, {
        basis: query.basis,
        channel: query.channel,
        respondent: {
          regionCode: query.regionCode,
          ...(query.domicileRegionCode ? { domicileRegionCode: query.domicileRegionCode } : {}),
          ...(query.platformRegionCode ? { platform: { regionCode: query.platformRegionCode } } : {}),
        },
      }),
  );
}
