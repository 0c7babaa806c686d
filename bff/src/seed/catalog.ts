/**
 * What generated cases are about: how often each category occurs, the problems, products and
 * price ranges that go with it, and the sentences a consumer writes. Codes come from the
 * versioned trees in shared/complaint/categories.ts (the generator's tests check every one).
 */
import type { Demand } from '../../../shared/complaint/intake';

export interface CategoryProfile {
  /** Share of complaints, relative. */
  weight: number;
  /** Share of its businesses that sell on an online platform. */
  online: number;
  problems: ReadonlyArray<readonly [string, number]>;
  products: readonly string[];
  /** Price range in yuan, drawn log-uniformly. */
  yuan: readonly [number, number];
}

export const CATEGORY_PROFILES: Record<string, CategoryProfile> = {
  'goods.digital': {
    weight: 14,
    online: 0.6,
    problems: [['quality.function', 25], ['after_sales.refuse_return', 20], ['after_sales.refuse_repair', 15], ['quality.spec', 12], ['contract.delivery', 10], ['counterfeit.fake_brand', 8], ['price.hidden_fee', 5], ['false_advertising.false_discount', 5]],
    products: ['智能手机', '笔记本电脑', '蓝牙耳机', '平板电脑', '智能手表', '移动电源', '数码相机', '游戏主机', '显示器', '路由器'],
    yuan: [50, 15000],
  },
  'services.internet': {
    weight: 11,
    online: 1,
    problems: [['after_sales.refund_delay', 25], ['contract.unfair_terms', 25], ['price.hidden_fee', 20], ['after_sales.no_response', 15], ['dignity.privacy', 15]],
    products: ['视频会员', '网络游戏充值', '在线课程会员', '网盘会员', '直播打赏', '外卖平台会员', '网约车服务'],
    yuan: [6, 3000],
  },
  'goods.food': {
    weight: 10,
    online: 0.35,
    problems: [['quality.expired', 30], ['safety.food_safety', 25], ['measurement.short_weight', 12], ['quality.defect', 10], ['false_advertising.exaggeration', 8], ['price.price_fraud', 5], ['counterfeit.fake_origin', 5], ['after_sales.refuse_return', 5]],
    products: ['进口牛奶', '月饼礼盒', '散装坚果', '冷冻水饺', '有机大米', '婴幼儿配方奶粉', '白酒', '鲜榨果汁', '熟食卤味', '保健食品'],
    yuan: [15, 800],
  },
  'goods.clothing': {
    weight: 8,
    online: 0.55,
    problems: [['quality.defect', 30], ['after_sales.refuse_return', 25], ['quality.spec', 15], ['counterfeit.fake_brand', 15], ['false_advertising.false_discount', 10], ['price.price_fraud', 5]],
    products: ['羽绒服', '运动鞋', '牛仔裤', '羊毛大衣', '皮鞋', '儿童服装', '连衣裙', '冲锋衣'],
    yuan: [60, 3000],
  },
  'services.other': {
    weight: 8,
    online: 0.2,
    problems: [['contract.breach', 35], ['price.overcharge', 20], ['after_sales.no_response', 20], ['quality.defect', 15], ['other.other', 10]],
    products: ['家政保洁服务', '房屋装修', '物业服务', '家电清洗', '搬家服务', '洗衣服务', '手机维修', '房屋中介服务'],
    yuan: [50, 80000],
  },
  'goods.appliance': {
    weight: 7,
    online: 0.45,
    problems: [['quality.function', 30], ['after_sales.refuse_repair', 25], ['quality.defect', 15], ['after_sales.refuse_return', 10], ['contract.delivery', 8], ['false_advertising.false_discount', 7], ['safety.hazard', 5]],
    products: ['变频空调', '滚筒洗衣机', '电热水器', '对开门冰箱', '扫地机器人', '燃气灶', '油烟机', '电饭煲', '空气净化器', '洗碗机'],
    yuan: [200, 12000],
  },
  'services.education': {
    weight: 7,
    online: 0.25,
    problems: [['contract.prepaid', 40], ['after_sales.refund_delay', 30], ['contract.unfair_terms', 15], ['false_advertising.exaggeration', 15]],
    products: ['少儿英语课程', '成人学历提升课程', '职业技能培训', '驾校培训', '舞蹈培训课程', '编程课程', '考研辅导班'],
    yuan: [800, 40000],
  },
  'goods.other': {
    weight: 6,
    online: 0.45,
    problems: [['quality.defect', 30], ['contract.delivery', 20], ['after_sales.refuse_return', 20], ['quality.spec', 15], ['other.other', 10], ['measurement.meter', 5]],
    products: ['实木沙发', '床垫', '定制衣柜', '儿童玩具', '眼镜', '金饰', '宠物用品'],
    yuan: [30, 20000],
  },
  'services.catering': {
    weight: 6,
    online: 0.25,
    problems: [['safety.food_safety', 25], ['price.overcharge', 20], ['price.hidden_fee', 17], ['contract.prepaid', 15], ['quality.expired', 10], ['dignity.insult', 8], ['other.other', 5]],
    products: ['婚宴套餐', '火锅套餐', '酒店住宿', '外卖订餐', '自助餐', '生日宴'],
    yuan: [50, 6000],
  },
  'goods.cosmetics': {
    weight: 5,
    online: 0.6,
    problems: [['counterfeit.fake_brand', 25], ['false_advertising.exaggeration', 25], ['after_sales.refuse_return', 20], ['quality.defect', 15], ['safety.injury', 15]],
    products: ['面霜', '精华液', '口红', '防晒霜', '洗发水', '面膜', '香水'],
    yuan: [40, 2000],
  },
  'services.fitness': {
    weight: 5,
    online: 0.05,
    problems: [['contract.prepaid', 55], ['after_sales.refund_delay', 25], ['contract.breach', 10], ['contract.unfair_terms', 10]],
    products: ['健身年卡', '私教课程', '游泳季卡', '瑜伽次卡', '羽毛球馆会员'],
    yuan: [300, 15000],
  },
  'services.beauty': {
    weight: 5,
    online: 0.05,
    problems: [['contract.prepaid', 35], ['safety.injury', 20], ['false_advertising.exaggeration', 20], ['price.price_fraud', 15], ['dignity.insult', 10]],
    products: ['美容护理套餐', '烫染服务', '医美注射项目', '美甲服务', '洗浴会员卡', '祛斑项目'],
    yuan: [100, 30000],
  },
  'goods.vehicle': {
    weight: 4,
    online: 0.05,
    problems: [['quality.defect', 30], ['contract.breach', 25], ['price.hidden_fee', 20], ['after_sales.refuse_repair', 15], ['safety.hazard', 10]],
    products: ['新能源汽车', '燃油轿车', '电动自行车', '二手车', '摩托车', '汽车轮胎'],
    yuan: [1500, 300000],
  },
  'services.travel': {
    weight: 4,
    online: 0.5,
    problems: [['contract.breach', 35], ['price.hidden_fee', 25], ['after_sales.refund_delay', 25], ['false_advertising.exaggeration', 15]],
    products: ['跟团游', '机票', '酒店预订', '景区门票', '出境游套餐', '自由行套餐'],
    yuan: [200, 30000],
  },
};

/** What went wrong, as a consumer puts it, per problem type. */
export const PROBLEM_TEXT: Record<string, readonly string[]> = {
  'quality.defect': ['使用不到一个月就出现质量问题', '收到后发现有明显破损和做工缺陷'],
  'quality.function': ['使用几天后就无法正常工作', '多次出现故障，主要功能无法使用'],
  'quality.spec': ['实物与商品详情页描述的规格不符', '收到的型号与下单时的型号不一致'],
  'quality.expired': ['发现已超过保质期', '打开后发现已经变质发霉'],
  'after_sales.refuse_return': ['在七天无理由退货期内申请退货，商家拒绝', '商家以已拆封为由拒绝退换'],
  'after_sales.refuse_repair': ['在保修期内申请维修，商家拒绝上门', '商家推脱责任，要求自费维修'],
  'after_sales.refund_delay': ['申请退款一个多月仍未到账', '商家一再拖延退款，至今未退'],
  'after_sales.no_response': ['多次联系客服均无人处理', '投诉后商家一直不回复'],
  'contract.breach': ['商家未按合同约定履行服务', '服务内容与合同约定严重不符'],
  'contract.unfair_terms': ['合同中有“概不退款”等不公平格式条款', '自动续费条款未作显著提示'],
  'contract.prepaid': ['办理的预付卡余额无法使用，门店已停业', '商家突然闭店，预付费用无法退还'],
  'contract.delivery': ['付款后商家超过约定时间仍未发货', '商家单方面取消订单，不予发货'],
  'price.overcharge': ['结账时多收取了费用', '实际收费高于事先告知的价格'],
  'price.price_fraud': ['先提价后打折，存在价格欺诈', '标价与结算价不一致'],
  'price.hidden_fee': ['消费时被收取未告知的额外费用', '下单后被强制收取服务费'],
  'safety.injury': ['使用后出现过敏红肿', '使用过程中造成人身伤害'],
  'safety.hazard': ['使用时出现冒烟、漏电等安全隐患', '产品存在明显安全隐患'],
  'safety.food_safety': ['食用后出现腹泻呕吐', '在食品中发现异物'],
  'false_advertising.exaggeration': ['宣传效果与实际严重不符', '商家夸大宣传，实际没有所说的功效'],
  'false_advertising.false_discount': ['宣传的优惠活动实际并不存在', '所谓的限时折扣价格与平时一样'],
  'counterfeit.fake_brand': ['经品牌方鉴定为假冒商品', '怀疑购买到假冒品牌商品'],
  'counterfeit.fake_origin': ['标注的产地与实际不符', '冒用原产地名称'],
  'measurement.short_weight': ['回家复称发现缺斤短两', '实际重量明显少于标注重量'],
  'measurement.meter': ['商家使用的计量器具不准确', '计价器计量明显偏多'],
  'dignity.insult': ['店员态度恶劣并辱骂消费者', '遭到工作人员侮辱'],
  'dignity.search': ['被店员强行搜查随身物品', '被限制离开店铺'],
  'dignity.privacy': ['个人信息被泄露，频繁接到骚扰电话', '未经同意收集并使用个人信息'],
  'other.other': ['与商家协商无果', '遇到了消费纠纷，商家不予解决'],
};

/** What a complainant asks for, by weight; 'other' always carries words. */
export const DEMAND_WEIGHTS: ReadonlyArray<readonly [Demand, number]> = [
  ['refund', 40],
  ['compensation', 20],
  ['return', 15],
  ['exchange', 10],
  ['repair', 10],
  ['apology', 5],
  ['other', 3],
];
export const DEMAND_TEXT: Partial<Record<Demand, readonly string[]>> = {
  compensation: ['要求按消费者权益保护法第五十五条赔偿', '要求赔偿误工费和交通费'],
  other: ['要求商家出具书面说明', '要求商家公开道歉并整改'],
};

/** The unlawful acts reports point at. */
export const REPORT_TEXT: readonly string[] = [
  '长期销售过期食品，货架上多种商品已超过保质期',
  '无营业执照经营，且未公示任何证照',
  '在店内宣称其保健品可以治疗高血压、糖尿病等疾病',
  '销售假冒注册商标的商品，价格远低于正品',
  '商品标价与结算价格不一致，结算时高于标价',
  '使用未经检定的电子秤，存在缺斤短两',
  '未明码标价，随意定价',
  '销售无生产厂家、无生产日期、无合格证的“三无”产品',
  '后厨卫生条件极差，从业人员未持健康证上岗',
  '发布虚假招聘广告，以培训为名收取费用',
];
