import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireStaff } from '../../http/staff-auth';
import { hotspotSeenBody, hotspotView, insightQuery, insightView } from '../../../../shared/api/insight';
import * as insight from './insight.service';

export function insightRoutes(api: Api, deps: Deps): void {
  const common = { tag: 'admin', security: 'staffCookie' as const, middleware: [requireStaff(deps)] };
  api.route(
    { ...common, method: 'get', path: '/admin/stats', errors: [403], summary: '统计看板（按期间与地区，限管辖范围）', query: insightQuery, response: insightView },
    ({ query, ctx }) => insight.insight(deps, ctx.state.staff, query),
  );
  api.route(
    { ...common, method: 'post', path: '/admin/stats/hotspots/seen', errors: [404], summary: '标记热点已查看（监管主管）', body: hotspotSeenBody, response: hotspotView },
    ({ body, ctx }) => insight.markHotspotSeen(deps, ctx.state.staff, body),
  );
}
