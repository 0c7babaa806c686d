/**
 * Category tree (versioned): goods or services first, then the nature of the problem as
 * consumer associations classify it. The server seeds it; forms read it from GET /categories.
 */
export const CATEGORY_TREE_VERSION = '2026.1';

export interface CategoryNode {
  code: string;
  name: string;
  children?: CategoryNode[];
}

const NATURE: Array<[string, string]> = [
  ['quality', '质量'],
  ['after_sales', '售后服务'],
  ['contract', '合同'],
  ['price', '价格'],
  ['safety', '安全'],
  ['false_advertising', '虚假宣传'],
  ['counterfeit', '假冒'],
  ['measurement', '计量'],
  ['dignity', '人格尊严'],
  ['other', '其他'],
];

const nature = (prefix: string): CategoryNode[] =>
  NATURE.map(([code, name]) => ({ code: `${prefix}.${code}`, name }));

export const CATEGORY_TREE: CategoryNode[] = [
  {
    code: 'goods',
    name: '商品',
    children: [
      { code: 'goods.food', name: '食品', children: nature('goods.food') },
      { code: 'goods.appliance', name: '家用电器', children: nature('goods.appliance') },
      { code: 'goods.digital', name: '通讯及数码产品', children: nature('goods.digital') },
      { code: 'goods.clothing', name: '服装鞋帽', children: nature('goods.clothing') },
      { code: 'goods.vehicle', name: '交通工具', children: nature('goods.vehicle') },
      { code: 'goods.cosmetics', name: '化妆品', children: nature('goods.cosmetics') },
      { code: 'goods.other', name: '其他商品', children: nature('goods.other') },
    ],
  },
  {
    code: 'services',
    name: '服务',
    children: [
      { code: 'services.catering', name: '餐饮和住宿服务', children: nature('services.catering') },
      { code: 'services.education', name: '教育培训服务', children: nature('services.education') },
      { code: 'services.internet', name: '互联网服务', children: nature('services.internet') },
      { code: 'services.fitness', name: '文化娱乐体育服务', children: nature('services.fitness') },
      { code: 'services.beauty', name: '美容美发洗浴服务', children: nature('services.beauty') },
      { code: 'services.travel', name: '旅游服务', children: nature('services.travel') },
      { code: 'services.other', name: '其他服务', children: nature('services.other') },
    ],
  },
];

export function flattenCategories(nodes: CategoryNode[] = CATEGORY_TREE, parent: string | null = null) {
  const out: Array<{ code: string; name: string; parent: string | null }> = [];
  for (const n of nodes) {
    out.push({ code: n.code, name: n.name, parent });
    if (n.children) out.push(...flattenCategories(n.children, n.code));
  }
  return out;
}
