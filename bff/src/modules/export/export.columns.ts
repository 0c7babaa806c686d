/** The columns of a case export and how one case becomes one row; both file formats use them. */
import { CASE_TYPE_LABELS, FINAL_STATUSES, STATUS_LABELS, type CaseType, type ComplaintStatus } from '../../../../shared/complaint/status';
import { CHANNEL_LABELS, DEMAND_LABELS, type Channel, type Demand } from '../../../../shared/complaint/intake';
import { CATEGORY_TREE, PROBLEM_TYPE_TREE, findNode, flattenCategories } from '../../../../shared/complaint/categories';
import { runningClock, type ClockKind } from '../../../../shared/complaint/deadlines';
import { beijingDate, isProvisional } from '../../../../shared/calendar/working-days';

export type Cell = string | number;

export interface Column {
  header: string;
  /** Width in characters, for the spreadsheet. */
  width: number;
  /** Amounts travel as integer cents and are shown in yuan with two decimals. */
  amount?: boolean;
}

export const COLUMNS: readonly Column[] = [
  { header: '编号', width: 20 },
  { header: '类型', width: 6 },
  { header: '状态', width: 10 },
  { header: '接收时间', width: 17 },
  { header: '承办单位', width: 28 },
  { header: '被投诉/举报对象', width: 30 },
  { header: '统一社会信用代码', width: 21 },
  { header: '类别', width: 18 },
  { header: '问题类型', width: 20 },
  { header: '渠道', width: 12 },
  { header: '商品或服务', width: 16 },
  { header: '金额(元)', width: 12, amount: true },
  { header: '诉求', width: 16 },
  { header: '受理期限', width: 12 },
  { header: '当前期限', width: 18 },
  { header: '是否超期', width: 8 },
  { header: '办结时间', width: 17 },
  { header: '投诉/举报人', width: 12 },
  { header: '联系电话', width: 14 },
  { header: '满意度', width: 8 },
];

/** What a row needs from a case: the export reads only these fields. */
export const EXPORT_PROJECTION = {
  number: 1,
  type: 1,
  status: 1,
  receivedAt: 1,
  bureauCode: 1,
  'respondent.name': 1,
  'respondent.creditCode': 1,
  business: 1,
  deadlines: 1,
  pausedOn: 1,
  timeline: 1,
  anonymous: 1,
  'complainant.nameMasked': 1,
  'complainant.phoneMasked': 1,
  'complainant.nameSealed': 1,
  'complainant.phoneSealed': 1,
  feedback: 1,
} as const;

export interface ExportCase {
  _id: { toString(): string };
  number: string;
  type: string;
  status: string;
  receivedAt: Date;
  bureauCode: string;
  respondent?: { name?: string; creditCode?: string };
  business?: { categoryCode?: string; problemTypeCode?: string; channel?: string; productName?: string; amountCents?: number; demands?: Array<{ type: string }> };
  deadlines?: { acceptBy?: string | null; mediationBy?: string | null; decideBy?: string | null; informBy?: string | null } | null;
  pausedOn?: string | null;
  timeline?: Array<{ at: Date; from?: string | null; to: string }>;
  anonymous?: boolean;
  complainant?: { nameMasked?: string; phoneMasked?: string; nameSealed?: string; phoneSealed?: string };
  feedback?: { satisfied: boolean } | null;
}

const CLOCK_LABELS: Record<ClockKind, string> = { accept: '受理', mediation: '调解', decide: '立案决定', inform: '告知举报人' };
const FINAL = new Set<string>(FINAL_STATUSES);

/** "商品 / 家用电器": the parent and the leaf, from the versioned trees. */
function pathNames(tree: typeof CATEGORY_TREE) {
  const names = new Map<string, string>();
  for (const c of flattenCategories(tree)) {
    const parent = c.parent ? findNode(tree, c.parent)?.name : undefined;
    names.set(c.code, parent ? `${parent}/${c.name}` : c.name);
  }
  return names;
}
const CATEGORY_NAMES = pathNames(CATEGORY_TREE);
const PROBLEM_NAMES = pathNames(PROBLEM_TYPE_TREE);

/** A Beijing wall-clock time, "2026-05-14 09:30". */
export function beijingTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export interface RowContext {
  today: string;
  bureauNames: ReadonlyMap<string, string>;
  /** Opens a sealed value of the case's complainant; absent unless the staff member may and asked to see personal data in full. */
  open?: (sealed: string, field: 'name' | 'phone', c: ExportCase) => string;
}

export const ANONYMOUS = '匿名';

/**
 * A text a spreadsheet would take for a formula: one that starts with = + - @, a tab or a carriage
 * return, also after leading spaces or line breaks (Excel and WPS skip those before a formula).
 */
const FORMULA_START = /^\s*[=+\-@\t\r]/;

/**
 * A cell as the spreadsheet shows it, never run (OWASP CSV injection): such a text gets a leading
 * single quote, so `=HYPERLINK(...)` typed as a respondent's name stays text in Excel and WPS. Numbers
 * (the amount) are written as numbers and left alone.
 */
export function neutralise(cell: Cell): Cell {
  return typeof cell === 'string' && FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** One case as a row: masked contact details unless `open` is given; never the ID number; no formulas. */
export function rowOf(c: ExportCase, ctx: RowContext): Cell[] {
  return caseCells(c, ctx).map(neutralise);
}

/** A due date, marked 暂定 when it is counted into a year whose holidays are not yet published. */
function dueCell(c: ExportCase, due: string | null | undefined): string {
  if (!due) return '';
  return isProvisional(beijingDate(c.receivedAt), due) ? `${due}（暂定）` : due;
}

function caseCells(c: ExportCase, ctx: RowContext): Cell[] {
  const b = c.business;
  const clock = runningClock({ type: c.type as CaseType, status: c.status as ComplaintStatus, deadlines: c.deadlines, pausedOn: c.pausedOn }, ctx.today);
  // The step into the final state, not the consumer's feedback after it.
  const closedAt = FINAL.has(c.status) ? [...(c.timeline ?? [])].reverse().find((t) => t.to === c.status && t.from !== c.status)?.at : undefined;
  const who = c.complainant;
  const anonymous = c.anonymous === true;
  const name = anonymous ? ANONYMOUS : ctx.open && who?.nameSealed ? ctx.open(who.nameSealed, 'name', c) : (who?.nameMasked ?? '');
  const phone = anonymous ? ANONYMOUS : ctx.open && who?.phoneSealed ? ctx.open(who.phoneSealed, 'phone', c) : (who?.phoneMasked ?? '');
  return [
    c.number,
    CASE_TYPE_LABELS[c.type as CaseType] ?? c.type,
    STATUS_LABELS[c.status as ComplaintStatus] ?? c.status,
    beijingTime(c.receivedAt),
    ctx.bureauNames.get(c.bureauCode) ?? c.bureauCode,
    c.respondent?.name ?? '',
    c.respondent?.creditCode ?? '',
    b?.categoryCode ? (CATEGORY_NAMES.get(b.categoryCode) ?? b.categoryCode) : '',
    b?.problemTypeCode ? (PROBLEM_NAMES.get(b.problemTypeCode) ?? b.problemTypeCode) : '',
    b?.channel ? (CHANNEL_LABELS[b.channel as Channel] ?? b.channel) : '',
    b?.productName ?? '',
    b?.amountCents ?? '',
    (b?.demands ?? []).map((d) => DEMAND_LABELS[d.type as Demand] ?? d.type).join('、'),
    dueCell(c, c.deadlines?.acceptBy ?? c.deadlines?.decideBy),
    clock ? `${CLOCK_LABELS[clock.kind]} ${dueCell(c, clock.due)}${clock.paused ? '（检验中止）' : ''}` : '',
    clock?.overdue ? '是' : '否',
    closedAt ? beijingTime(closedAt) : '',
    name,
    phone,
    c.feedback ? (c.feedback.satisfied ? '满意' : '不满意') : '',
  ];
}

/** Integer cents as "1234.50", without float arithmetic (for the CSV). */
export function yuan(cents: number): string {
  return `${Math.trunc(cents / 100)}.${String(Math.abs(cents % 100)).padStart(2, '0')}`;
}
