import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { perAddress } from '../../http/rate-limit';
import { CATEGORY_TREE_VERSION } from '../../../../shared/complaint/categories';

const node = z.object({ code: z.string(), name: z.string(), parent: z.string().nullable() });

export function catalogRoutes(api: Api, deps: Deps): void {
  api.route(
    {
      method: 'get',
      path: '/categories',
      tag: 'catalog',
      summary: '投诉分类（商品/服务）和问题类型',
      response: z.object({ version: z.string(), items: z.array(node), problemTypes: z.array(node) }),
      errors: [429],
      middleware: [perAddress(deps, 'lookup-ip', deps.config.limits.lookupIp)],
    },
    async () => {
      const nodes = await deps.models.Category.find({ treeVersion: CATEGORY_TREE_VERSION }, { _id: 0, code: 1, name: 1, parent: 1, tree: 1 })
        .sort({ code: 1 })
        .lean();
      const of = (tree: string) => nodes.filter((c) => (c.tree ?? 'category') === tree).map((c) => ({ code: c.code, name: c.name, parent: c.parent ?? null }));
      return { version: CATEGORY_TREE_VERSION, items: of('category'), problemTypes: of('problem_type') };
    },
  );
}
