/**
 * Two versioned trees: the category of what was bought (goods or services first, then the
 * kind) and the problem type (the nature of the problem as consumer associations classify
 * it, then the concrete problem). The server seeds both; forms read them from shared/ or
 * from GET /categories.
 */
export const CATEGORY_TREE_VERSION = '2026.2';

export interface CategoryNode {
  code: string;
  name: string;
  children?: CategoryNode[];
}

export const CATEGORY_TREE: CategoryNode[] = [
  {
    code: 'goods',
    name: '商品',
    children: [
      { code: 'goods.food', name: '食品' },
      { code: 'goods.appliance', name: '家用电器' },
      { code: 'goods.digital', name: '通讯及数码产品' },
      { code: 'goods.clothing', name: '服装鞋帽' },
      { code: 'goods.vehicle', name: '交通工具' },
      { code: 'goods.cosmetics', name: '化妆品' },
      { code: 'goods.other', name: '其他商品' },
    ],
  },
  {
    code: 'services',
    name: '服务',
    children: [
      { code: 'services.catering', name: '餐饮和住宿服务' },
      { code: 'services.education', name: '教育培训服务' },
      { code: 'services.internet', name: '互联网服务' },
      { code: 'services.fitness', name: '文化娱乐体育服务' },
      { code: 'services.beauty', name: '美容美发洗浴服务' },
      { code: 'services.travel', name: '旅游服务' },
      { code: 'services.other', name: '其他服务' },
    ],
  },
];

const problems = (nature: string, items: Array<[string, string]>): CategoryNode[] =>
  items.map(([code, name]) => ({ code: `${nature}.${code}`, name }));

export const PROBLEM_TYPE_TREE: CategoryNode[] = [
  { code: 'quality', name: '质量', children: problems('quality', [['defect', '质量不合格'], ['function', '功能失效'], ['spec', '与描述不符'], ['expired', '过期变质']]) },
  { code: 'after_sales', name: '售后服务', children: problems('after_sales', [['refuse_return', '拒绝退换货'], ['refuse_repair', '拒绝维修'], ['refund_delay', '退款拖延'], ['no_response', '客服不处理']]) },
  { code: 'contract', name: '合同', children: problems('contract', [['breach', '不履行合同约定'], ['unfair_terms', '格式条款不公平'], ['prepaid', '预付卡消费纠纷'], ['delivery', '未按约定发货']]) },
  { code: 'price', name: '价格', children: problems('price', [['overcharge', '多收费用'], ['price_fraud', '价格欺诈'], ['hidden_fee', '隐性收费']]) },
  { code: 'safety', name: '安全', children: problems('safety', [['injury', '造成人身伤害'], ['hazard', '存在安全隐患'], ['food_safety', '食品安全问题']]) },
  { code: 'false_advertising', name: '虚假宣传', children: problems('false_advertising', [['exaggeration', '夸大宣传'], ['false_discount', '虚假促销']]) },
  { code: 'counterfeit', name: '假冒', children: problems('counterfeit', [['fake_brand', '假冒品牌'], ['fake_origin', '伪造产地']]) },
  { code: 'measurement', name: '计量', children: problems('measurement', [['short_weight', '缺斤短两'], ['meter', '计量器具不准']]) },
  { code: 'dignity', name: '人格尊严', children: problems('dignity', [['insult', '侮辱或诽谤'], ['search', '搜身或限制自由'], ['privacy', '泄露个人信息']]) },
  { code: 'other', name: '其他', children: problems('other', [['other', '其他问题']]) },
];

/** Only the leaves can be chosen on a case. */
export function leafCodes(nodes: CategoryNode[]): Set<string> {
  const out = new Set<string>();
  for (const n of nodes) {
    if (n.children) for (const c of leafCodes(n.children)) out.add(c);
    else out.add(n.code);
  }
  return out;
}

export function findNode(nodes: CategoryNode[], code: string): CategoryNode | undefined {
  for (const n of nodes) {
    if (n.code === code) return n;
    const inner = n.children && findNode(n.children, code);
    if (inner) return inner;
  }
  return undefined;
}

export function flattenCategories(nodes: CategoryNode[] = CATEGORY_TREE, parent: string | null = null) {
  const out: Array<{ code: string; name: string; parent: string | null }> = [];
  for (const n of nodes) {
    out.push({ code: n.code, name: n.name, parent });
    if (n.children) out.push(...flattenCategories(n.children, n.code));
  }
  return out;
}
