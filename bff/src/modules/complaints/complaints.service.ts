/** Intake of complaints and reports, and the consumer's own view of their cases. */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { isDuplicateKey, retryingUpsert } from '../../infra/db';
import { AppError } from '../../http/errors';
import { beijingDate } from '../../../../shared/calendar/working-days';
import { initialDeadlines, provisionalDeadlines, ruleSetFor } from '../../../../shared/complaint/deadlines';
import { formatCaseNumber, isValidCaseNumber } from '../../../../shared/complaint/case-number';
import { STATUS_LABELS, type ComplaintStatus, type CaseType } from '../../../../shared/complaint/status';
import { CATEGORY_TREE_VERSION } from '../../../../shared/complaint/categories';
import { maskAddress, type Channel } from '../../../../shared/complaint/intake';
import { nameTerms, normaliseName } from '../../../../shared/complaint/search-terms';
import { findTransition } from '../../../../shared/complaint/workflow';
import { maskName, maskPhone } from '../../../../shared/identity/mask';
import type {
  ComplaintDetail,
  ComplaintSummary,
  RespondentInput,
  complaintCreateBody,
  reportCreateBody,
} from '../../../../shared/api/complaints';
import type { z } from 'zod';
import type { Case } from './complaint.model';
import { linkedUserIds, verifiedPerson } from '../identity/identity.service';
import { actorLabels, publicActor } from './actors';
import { recommendBureau } from '../regions/regions.service';
import { ownedEvidence } from '../evidence/evidence.service';
import { checkContent } from '../content/content.service';
import { deleteDraft } from '../drafts/drafts.service';
import { withNotifications } from '../notify/deliveries.service';
import { caseField, openCase, sealCaseValue } from './case-seal';
import { recordCaseChange } from '../insight/counters';
import { applyClockEffects, type CaseDoc as HandlingCase, type UpdateParts } from '../handling/handling.service';

/** States in which a case is still being worked, so a second one against the same respondent is a duplicate. */
export const OPEN_STATUSES: readonly ComplaintStatus[] = ['submitted', 'accepted', 'mediating'];

export interface ConsumerRef {
  id: string;
  platform: 'wechat' | 'alipay';
}

type ComplaintBody = z.output<typeof complaintCreateBody>;
type ReportBody = z.output<typeof reportCreateBody>;
type CaseDoc = Case & { _id: mongoose.Types.ObjectId };

/** The complaint clocks a consumer follows, and which of them are estimates. */
function consumerDeadlines(doc: CaseDoc): ComplaintSummary['deadlines'] {
  const shown = {
    ...(doc.deadlines?.acceptBy ? { acceptBy: doc.deadlines.acceptBy } : {}),
    ...(doc.deadlines?.mediationBy ? { mediationBy: doc.deadlines.mediationBy } : {}),
  };
  const provisional = provisionalDeadlines(beijingDate(doc.receivedAt), shown);
  return { ...shown, ...(provisional.length ? { provisional } : {}) };
}

export function toSummary(doc: CaseDoc): ComplaintSummary {
  return {
    number: doc.number,
    type: doc.type as CaseType,
    status: doc.status as ComplaintStatus,
    statusLabel: STATUS_LABELS[doc.status as ComplaintStatus],
    respondentName: doc.respondent.name,
    receivedAt: doc.receivedAt.toISOString(),
    deadlines: consumerDeadlines(doc),
    ...(doc.jurisdiction
      ? {
          jurisdiction: {
            basis: doc.jurisdiction.basis as NonNullable<ComplaintSummary['jurisdiction']>['basis'],
            regionCode: doc.jurisdiction.regionCode,
            bureauCode: doc.jurisdiction.bureauCode,
            bureauName: doc.jurisdiction.bureauName,
            fallback: doc.jurisdiction.fallback,
          },
        }
      : {}),
    ...(doc.duplicateOf ? { duplicateOf: doc.duplicateOf } : {}),
  };
}

const defined = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

/**
 * What intake recorded on a case, in display form (personal data masked). The consumer's
 * detail and the staff case view both build on it; staff also get the content flags.
 */
export function intakeView(doc: CaseDoc) {
  const r = doc.respondent;
  return {
    respondent: defined({
      name: r.name,
      creditCode: r.creditCode ?? undefined,
      address: r.address ?? undefined,
      regionCode: r.regionCode ?? '',
      domicileRegionCode: r.domicileRegionCode ?? undefined,
      platform: r.platform ? { name: r.platform.name, regionCode: r.platform.regionCode } : undefined,
    }),
    ...(doc.business
      ? {
          business: {
            kind: doc.business.kind as NonNullable<ComplaintDetail['business']>['kind'],
            categoryCode: doc.business.categoryCode,
            problemTypeCode: doc.business.problemTypeCode,
            channel: doc.business.channel as Channel,
            productName: doc.business.productName,
            amountCents: doc.business.amountCents,
            occurredOn: doc.business.occurredOn,
            demands: doc.business.demands.map((d) => defined({ type: d.type as NonNullable<ComplaintDetail['business']>['demands'][number]['type'], text: d.text ?? undefined })),
          },
        }
      : {}),
    ...(doc.complainant
      ? {
          complainant: defined({
            nameMasked: doc.complainant.nameMasked ?? undefined,
            phoneMasked: doc.complainant.phoneMasked ?? undefined,
            addressMasked: doc.complainant.addressMasked ?? undefined,
          }),
        }
      : {}),
    anonymous: doc.anonymous ?? false,
    evidence: (doc.evidence ?? []).map((e) => ({ fileId: e.fileId, kind: e.kind as 'image' | 'video' | 'pdf', sha256: e.sha256, size: e.size })),
    linkedCases: doc.linkedCases ?? [],
  };
}

/** For the staff case view: intake fields plus why the text was flagged. */
export function staffIntakeView(doc: CaseDoc) {
  return {
    ...intakeView(doc),
    flagged: doc.flagged ?? false,
    flags: (doc.flags ?? []).map((f) => defined({ source: f.source, verdict: f.verdict, label: f.label ?? undefined, words: f.words ?? undefined, at: f.at.toISOString() })),
  };
}

export function toDetail(doc: CaseDoc): ComplaintDetail {
  return {
    ...toSummary(doc),
    ...intakeView(doc),
    description: doc.description,
    timeline: doc.timeline.map((t) => ({
      at: t.at.toISOString(),
      actor: t.actor,
      action: t.action,
      from: t.from ?? null,
      to: t.to,
      ...(t.note ? { note: t.note } : {}),
    })),
    canWithdraw: doc.type === 'complaint' && Boolean(findTransition('withdraw', doc.status as ComplaintStatus)),
  };
}

async function nextSequence(deps: Deps, name: string): Promise<number> {
  const counter = await retryingUpsert(() =>
    deps.models.Counter.findOneAndUpdate({ _id: name }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' }).lean<{ seq: number }>(),
  );
  return counter!.seq;
}


/** Full-width and half-width, spacing and case do not make a different business. */
export const respondentKey = normaliseName;

function respondentRecord(r: RespondentInput) {
  return defined({
    name: r.name,
    nameKey: respondentKey(r.name),
    terms: nameTerms(r.name),
    creditCode: r.creditCode,
    address: r.address,
    regionCode: r.regionCode,
    domicileRegionCode: r.domicileRegionCode,
    platform: r.platform,
  });
}

type CaseId = mongoose.Types.ObjectId;

function sealContact(deps: Deps, id: CaseId, contact: { phone: string; address: string }) {
  return {
    phoneSealed: sealCaseValue(deps.pii, id, caseField.complainant('phone'), contact.phone),
    addressSealed: sealCaseValue(deps.pii, id, caseField.complainant('address'), contact.address),
    phoneMasked: maskPhone(contact.phone),
    addressMasked: maskAddress(contact.address),
  };
}

const byKey = (deps: Deps, userId: string, idempotencyKey: string) =>
  deps.models.Case.findOne({ 'owner.userId': userId, idempotencyKey }).lean<CaseDoc>();

/** The verified person filing a complaint, sealed for the case (Art 9: the complainant's name). */
async function requirePerson(deps: Deps, userId: string, id: CaseId) {
  const person = await verifiedPerson(deps, userId);
  if (!person) throw new AppError(403, 'IDENTITY_REQUIRED', '投诉需要先完成实名认证');
  return {
    nameSealed: sealCaseValue(deps.pii, id, caseField.complainant('name'), person.name),
    idNumberSealed: sealCaseValue(deps.pii, id, caseField.complainant('idNumber'), person.idNumber),
    nameMasked: maskName(person.name),
  };
}

/** An open complaint of the same person against the same business (same credit code, or same name). */
async function openCaseAgainst(deps: Deps, userId: string, r: RespondentInput) {
  const sameRespondent = r.creditCode ? [{ 'respondent.creditCode': r.creditCode }, { 'respondent.nameKey': respondentKey(r.name) }] : [{ 'respondent.nameKey': respondentKey(r.name) }];
  return deps.models.Case.findOne({
    'owner.userId': userId,
    type: 'complaint',
    status: mongoose.trusted({ $in: OPEN_STATUSES }),
    $or: sameRespondent,
  })
    .sort({ receivedAt: -1 })
    .lean<CaseDoc>();
}

const textOf = (...parts: Array<string | undefined>) => parts.filter(Boolean).join('\n');

interface NewCase {
  /** Made before the case is stored: its sealed values are bound to it. */
  id: CaseId;
  type: CaseType;
  user: ConsumerRef;
  idempotencyKey: string;
  fields: Record<string, unknown>;
  text: string;
}

/** Numbers, checks the text and stores a case; a racing retry with the same key gets the winner's case. */
async function createCase(deps: Deps, c: NewCase): Promise<CaseDoc> {
  const { Case } = deps.models;
  const flags = await checkContent(deps, c.user, c.text);
  const receivedAt = new Date();
  const date = beijingDate(receivedAt);
  const number = formatCaseNumber(c.type, date, await nextSequence(deps, `case:${c.type}:${date}`));
  try {
    const doc = await Case.create({
      ...c.fields,
      _id: c.id,
      number,
      type: c.type,
      status: 'submitted',
      version: 0,
      owner: { userId: c.user.id, platform: c.user.platform },
      idempotencyKey: c.idempotencyKey,
      receivedAt,
      deadlines: initialDeadlines(c.type, date),
      flags,
      flagged: flags.length > 0,
      timeline: [
        {
          at: receivedAt,
          actor: 'consumer',
          action: 'submit',
          from: null,
          to: 'submitted',
          ...(flags.length ? { note: sealCaseValue(deps.pii, c.id, caseField.timelineNote(receivedAt), '内容需人工复核') } : {}),
        },
      ],
    });
    const created = doc.toObject() as CaseDoc;
    await recordCaseChange(deps, null, created);
    return created;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = await byKey(deps, c.user.id, c.idempotencyKey);
    if (!winner) throw err;
    return winner;
  }
}

/**
 * Files a complaint once per idempotency key: a retry with the same key, even one racing the
 * first, gets the case the first request created.
 */
export async function submitComplaint(deps: Deps, user: ConsumerRef, idempotencyKey: string, body: ComplaintBody): Promise<ComplaintSummary> {
  const existing = await byKey(deps, user.id, idempotencyKey);
  if (existing) return toSummary(existing);
  const id = new mongoose.Types.ObjectId();
  const person = await requirePerson(deps, user.id, id);
  const evidence = await ownedEvidence(deps, user.id, body.evidenceIds);
  const jurisdiction = await recommendBureau(deps, { basis: body.jurisdiction.basis, channel: body.business.channel, respondent: body.respondent });

  const open = await openCaseAgainst(deps, user.id, body.respondent);
  // The open case may be this very submission, stored by a concurrent retry.
  if (open?.idempotencyKey === idempotencyKey) return toSummary(open);
  if (open && !body.fileAnyway) {
    throw new AppError(409, 'DUPLICATE_OPEN_CASE', `您对该经营者的投诉（编号 ${open.number}）正在办理中，可继续跟进该投诉`, undefined, {
      existing: { number: open.number, status: open.status, statusLabel: STATUS_LABELS[open.status as ComplaintStatus] },
    });
  }

  const doc = await createCase(deps, {
    id,
    type: 'complaint',
    user,
    idempotencyKey,
    text: textOf(body.respondent.name, body.business.productName, body.description, ...body.business.demands.map((d) => d.text)),
    fields: {
      bureauCode: jurisdiction.bureau.code,
      jurisdiction: { basis: jurisdiction.basis, regionCode: jurisdiction.regionCode, bureauCode: jurisdiction.bureau.code, bureauName: jurisdiction.bureau.name, fallback: jurisdiction.fallback },
      respondent: respondentRecord(body.respondent),
      complainant: { ...person, ...sealContact(deps, id, body.consumer) },
      business: {
        ...body.business,
        demands: body.business.demands.map((d, i) => (d.text ? { ...d, text: sealCaseValue(deps.pii, id, caseField.demandText(i), d.text) } : d)),
        categoryTreeVersion: CATEGORY_TREE_VERSION,
      },
      description: sealCaseValue(deps.pii, id, caseField.description, body.description),
      evidence,
      ...(open ? { duplicateOf: open.number, linkedCases: [open.number] } : {}),
    },
  });
  if (open && doc.idempotencyKey === idempotencyKey && doc.duplicateOf === open.number) {
    await deps.models.Case.updateOne({ number: open.number }, { $addToSet: { linkedCases: doc.number } });
  }
  await deleteDraft(deps, user.id, 'complaint');
  return toSummary(doc);
}

/** Files a report (举报): no demands, real-name or anonymous, no identity verification needed. */
export async function submitReport(deps: Deps, user: ConsumerRef, idempotencyKey: string, body: ReportBody): Promise<ComplaintSummary> {
  const existing = await byKey(deps, user.id, idempotencyKey);
  if (existing) return toSummary(existing);
  const evidence = await ownedEvidence(deps, user.id, body.evidenceIds);
  const jurisdiction = await recommendBureau(deps, { basis: body.jurisdiction.basis, respondent: body.respondent });
  const id = new mongoose.Types.ObjectId();
  const doc = await createCase(deps, {
    id,
    type: 'report',
    user,
    idempotencyKey,
    text: textOf(body.respondent.name, body.description),
    fields: {
      bureauCode: jurisdiction.bureau.code,
      jurisdiction: { basis: jurisdiction.basis, regionCode: jurisdiction.regionCode, bureauCode: jurisdiction.bureau.code, bureauName: jurisdiction.bureau.name, fallback: jurisdiction.fallback },
      respondent: respondentRecord(body.respondent),
      anonymous: body.anonymous,
      ...(body.reporter ? { complainant: sealContact(deps, id, body.reporter) } : {}),
      description: sealCaseValue(deps.pii, id, caseField.description, body.description),
      evidence,
    },
  });
  await deleteDraft(deps, user.id, 'report');
  return toSummary(doc);
}

export async function listMine(deps: Deps, user: ConsumerRef): Promise<ComplaintSummary[]> {
  const docs = await deps.models.Case.find({ 'owner.userId': mongoose.trusted({ $in: await linkedUserIds(deps, user.id) }) })
    .sort({ receivedAt: -1 })
    .limit(100)
    .lean<CaseDoc[]>();
  return docs.map(toSummary);
}

/** A case as its consumer sees it: staff steps name the bureau and the role, never the account. */
async function consumerDetail(deps: Deps, doc: CaseDoc): Promise<ComplaintDetail> {
  const labelOf = await actorLabels(deps, doc.timeline);
  const detail = toDetail(doc);
  return {
    ...detail,
    timeline: detail.timeline.map((step, i) => {
      const label = labelOf(doc.timeline[i]);
      return { ...step, actor: publicActor(step.actor), ...(label ? { actorLabel: label } : {}) };
    }),
  };
}

export async function getMine(deps: Deps, user: ConsumerRef, number: string): Promise<ComplaintDetail> {
  if (!isValidCaseNumber(number)) throw new AppError(400, 'CASE_NUMBER_INVALID', '投诉编号有误，请核对后再试');
  const doc = await deps.models.Case.findOne({ number, 'owner.userId': mongoose.trusted({ $in: await linkedUserIds(deps, user.id) }) }).lean<CaseDoc>();
  if (!doc) throw new AppError(404, 'NOT_FOUND', '没有找到这件投诉');
  return withNotifications(await consumerDetail(deps, openCase(deps.pii, doc)), doc);
}

/** Withdraws my complaint before it is closed: the workflow's 'withdraw' edge, under a version precondition. */
export async function withdraw(deps: Deps, user: ConsumerRef, number: string, reason?: string): Promise<ComplaintDetail> {
  if (!isValidCaseNumber(number)) throw new AppError(400, 'CASE_NUMBER_INVALID', '投诉编号有误，请核对后再试');
  const owners = mongoose.trusted({ $in: await linkedUserIds(deps, user.id) });
  const doc = await deps.models.Case.findOne({ number, 'owner.userId': owners }).lean<CaseDoc>();
  if (!doc) throw new AppError(404, 'NOT_FOUND', '没有找到这件投诉');
  const transition = doc.type === 'complaint' ? findTransition('withdraw', doc.status as ComplaintStatus) : undefined;
  if (!transition) throw new AppError(409, 'TRANSITION_NOT_ALLOWED', `当前状态（${STATUS_LABELS[doc.status as ComplaintStatus]}）不能撤回`);
  const at = new Date();
  const to = transition.to as ComplaintStatus;
  const u: UpdateParts = { $set: { status: to }, $unset: {}, $push: {} };
  // The same clock effects as a staff step: a paused test ends, and an overdue mark goes.
  applyClockEffects(transition, doc as HandlingCase, { ...doc, status: to, deadlines: { ...(doc.deadlines ?? {}) } } as HandlingCase, u, {
    now: at,
    today: beijingDate(at),
    rules: ruleSetFor(beijingDate(doc.receivedAt)),
    type: doc.type as CaseType,
  });
  u.$push.timeline = {
    at,
    actor: 'consumer',
    action: 'withdraw',
    from: doc.status,
    to,
    ...(reason ? { note: sealCaseValue(deps.pii, doc._id, caseField.timelineNote(at), reason) } : {}),
  };
  const updated = await deps.models.Case.findOneAndUpdate(
    { _id: doc._id, version: doc.version, status: doc.status },
    { $set: u.$set, $inc: { version: 1 }, $push: u.$push, ...(Object.keys(u.$unset).length ? { $unset: u.$unset } : {}) },
    { returnDocument: 'after' },
  ).lean<CaseDoc>();
  if (!updated) throw new AppError(409, 'CONFLICT', '案件状态刚刚发生变化，请刷新后再试');
  await recordCaseChange(deps, doc, updated);
  return consumerDetail(deps, openCase(deps.pii, updated));
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Respondent names from the consumer's own earlier cases (any of their linked accounts) that start
 * with what they typed. Never from other people's cases: whom someone complained about, in any
 * bureau, is theirs to know.
 */
export async function suggestRespondents(deps: Deps, user: ConsumerRef, q: string) {
  const owners = mongoose.trusted({ $in: await linkedUserIds(deps, user.id) });
  const rows = await deps.models.Case.aggregate<{ _id: { name: string; creditCode?: string }; cases: number }>([
    { $match: { 'owner.userId': owners, 'respondent.name': mongoose.trusted({ $regex: `^${escapeRegex(q)}` }) } },
    { $group: { _id: { name: '$respondent.name', creditCode: '$respondent.creditCode' }, cases: { $sum: 1 } } },
    { $sort: { cases: -1 } },
    { $limit: 10 },
  ]);
  return rows.map((r) => defined({ name: r._id.name, creditCode: r._id.creditCode ?? undefined, cases: r.cases }));
}
