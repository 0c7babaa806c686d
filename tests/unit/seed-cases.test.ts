import mongoose from 'mongoose';
import { counterName, generateCases, storedCase, type GeneratedCase } from '../../bff/src/seed/cases';
import { caseField, casePlace, openCase } from '../../bff/src/modules/complaints/case-seal';
import { bureauName, countyRegions } from '../../bff/src/modules/regions/regions.service';
import { caseModel } from '../../bff/src/modules/complaints/complaint.model';
import { createPii } from '../../bff/src/infra/pii';
import { isValidCaseNumber } from '../../shared/complaint/case-number';
import { isValidCreditCode } from '../../shared/complaint/credit-code';
import { isValidIdNumber } from '../../shared/identity/id-number';
import { CATEGORY_TREE, PROBLEM_TYPE_TREE, leafCodes } from '../../shared/complaint/categories';
import { findTransition, targetStatus, type Actor } from '../../shared/complaint/workflow';
import { REASON_LISTS } from '../../shared/complaint/reasons';
import { COMPLAINT_STATUSES, type CaseType, type ComplaintStatus } from '../../shared/complaint/status';
import { deadlineState, runningClock } from '../../shared/complaint/deadlines';
import { beijingDate, isWorkingDay } from '../../shared/calendar/working-days';
import { maskName, maskPhone } from '../../shared/identity/mask';

const bureaus = countyRegions().map((r) => ({ code: r.code, name: bureauName(r), regionCode: r.code }));
const now = new Date('2026-11-20T15:30:00+08:00');
const N = 2000;
const plan = generateCases({ count: N, days: 180, seed: 20261120, now, bureaus });
const all: GeneratedCase[] = [...plan.cases()];
type Doc = Record<string, any>;
const docs = all.map((c) => c.doc as Doc);

describe('generateCases', () => {
  it('gives the same consumers and cases for the same seed, and others for another seed', () => {
    const again = generateCases({ count: N, days: 180, seed: 20261120, now, bureaus });
    expect(again.consumers).toEqual(plan.consumers);
    expect([...again.cases()].map((c) => c)).toEqual(all);
    const other = generateCases({ count: N, days: 180, seed: 7, now, bureaus });
    expect([...other.cases()].slice(0, 20).map((c) => c.doc.number)).not.toEqual(docs.slice(0, 20).map((d) => d.number));
  });

  it('makes valid, unique case numbers of the receipt date, numbered from the given first sequence', () => {
    const numbers = docs.map((d) => d.number as string);
    expect(new Set(numbers).size).toBe(N);
    for (const d of docs) {
      expect(isValidCaseNumber(d.number)).toBe(true);
      expect(d.number.slice(0, 2)).toBe(d.type === 'complaint' ? 'TS' : 'JB');
      expect(d.number.slice(2, 10)).toBe(beijingDate(d.receivedAt).replaceAll('-', ''));
    }
    const first = docs[0];
    const key = counterName(first.type, beijingDate(first.receivedAt));
    const shifted = [...plan.cases({ [key]: 500 })][0].doc.number;
    expect(Number(shifted.slice(10, 16))).toBe(500);
    expect([...plan.counters.values()].reduce((a, b) => a + b, 0)).toBe(N);
  });

  it('writes documents the case schema accepts in full (strict: throw)', async () => {
    const Case = caseModel(mongoose.createConnection());
    const pii = createPii({ current: 'k1', keys: { k1: Buffer.alloc(32, 7) }, indexKey: Buffer.alloc(32, 9) });
    for (const c of all) {
      const doc = new Case(storedCase(pii, c));
      await expect(doc.validate()).resolves.toBeUndefined();
    }
  });

  it('makes each document exactly what the schema would store, so the seed may write it without casting', () => {
    const Case = caseModel(mongoose.createConnection());
    const pii = createPii({ current: 'k1', keys: { k1: Buffer.alloc(32, 7) }, indexKey: Buffer.alloc(32, 9) });
    for (const c of all) {
      const plain = storedCase(pii, c);
      expect(new Case(plain).toObject({ flattenMaps: true })).toStrictEqual(plain);
      // insertMany with casting also sets the version key to 0.
      expect(plain.__v).toBe(0);
    }
  });

  it('walks only edges of the state machine, in time order, by the actors the table allows', () => {
    for (const d of docs) {
      const type = d.type as CaseType;
      const t = d.timeline as Array<{ at: Date; actor: string; action: string; from: ComplaintStatus | null; to: ComplaintStatus }>;
      expect(t[0]).toMatchObject({ action: 'submit', from: null, to: 'submitted', actor: 'consumer' });
      let status: ComplaintStatus = 'submitted';
      let paused = false;
      for (let i = 1; i < t.length; i += 1) {
        const e = t[i];
        expect(e.at.getTime()).toBeGreaterThan(t[i - 1].at.getTime());
        expect(e.from).toBe(status);
        if (e.action === 'feedback') {
          expect([e.actor, e.from, e.to]).toEqual(['consumer', 'closed', 'closed']);
          continue;
        }
        const row = findTransition(e.action, status, type, { paused });
        expect(row).toBeDefined();
        const actor: Actor = e.actor === 'consumer' ? 'consumer' : e.action === 'reassign' ? 'supervisor' : 'handler';
        expect(e.actor === 'consumer' || e.actor.startsWith('staff:')).toBe(true);
        expect(row!.actors).toContain(actor);
        expect(e.to).toBe(targetStatus(row!, status));
        if (e.action === 'pause_for_testing') paused = true;
        if (e.action === 'resume_after_testing') paused = false;
        status = e.to;
      }
      expect(d.status).toBe(status);
      expect(!!d.pausedOn).toBe(paused);
      expect(d.version).toBe(t.length - 1);
      expect(t[t.length - 1].at.getTime()).toBeLessThanOrEqual(now.getTime());
    }
  });

  it('cites legal grounds from the reason lists and keeps deadlines as the handling service sets them', () => {
    const codes = (list: keyof typeof REASON_LISTS) => new Set<string>(REASON_LISTS[list].map((r) => r.code));
    const today = beijingDate(now);
    for (const d of docs) {
      for (const tr of d.transfers) if (tr.kind === 'transfer') expect(codes('transfer').has(tr.reasonCode)).toBe(true);
      const clock = runningClock({ type: d.type, status: d.status, deadlines: d.deadlines, pausedOn: d.pausedOn }, today);
      expect(d.deadlineState).toBe(deadlineState(clock));
      expect(d.dueOn).toBe(clock?.due);
      const accepted = d.timeline.some((e: { action: string }) => e.action === 'accept');
      expect(!!d.deadlines.mediationBy).toBe(accepted);
      expect(d.deadlines[d.type === 'complaint' ? 'acceptBy' : 'decideBy']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      if (d.type === 'report') {
        const decided = d.timeline.some((e: { action: string }) => e.action === 'open_case' || e.action === 'decline');
        expect(!!d.decidedAt).toBe(decided);
        expect(!!d.deadlines.informBy).toBe(decided && !d.anonymous);
      }
    }
    // Notes of reject and terminate steps start with the legal ground's wording.
    const grounds = new Set([...REASON_LISTS.reject, ...REASON_LISTS.terminate, ...REASON_LISTS.decline].map((r) => r.label));
    const noted = docs.flatMap((d) => d.timeline.filter((e: { action: string }) => ['reject', 'terminate', 'decline'].includes(e.action)));
    expect(noted.length).toBeGreaterThan(100);
    for (const e of noted) expect(grounds.has(e.note.split('；')[0])).toBe(true);
  });

  it('reaches every status, with some overdue cases, transfers, testing pauses and feedback', () => {
    const statuses = new Set(docs.map((d) => d.status));
    for (const s of COMPLAINT_STATUSES) expect(statuses).toContain(s);
    const share = (pred: (d: Doc) => boolean) => docs.filter(pred).length / N;
    expect(share((d) => d.type === 'complaint')).toBeGreaterThan(0.8);
    expect(share((d) => d.type === 'complaint')).toBeLessThan(0.9);
    expect(share((d) => d.deadlineState === 'overdue')).toBeGreaterThan(0.005);
    expect(share((d) => d.transfers.some((t: { kind: string }) => t.kind === 'transfer'))).toBeGreaterThan(0.01);
    expect(share((d) => d.pauses.length > 0 || !!d.pausedOn)).toBeGreaterThan(0.01);
    expect(share((d) => !!d.feedback)).toBeGreaterThan(0.1);
    expect(docs.every((d) => d.outboxPending === 0 && Object.keys(d.deliveries).length === 0)).toBe(true);
  });

  it('uses leaves of the versioned trees, sensible amounts, and a platform for every online purchase', () => {
    const categories = leafCodes(CATEGORY_TREE);
    const problems = leafCodes(PROBLEM_TYPE_TREE);
    for (const d of docs.filter((x) => x.type === 'complaint')) {
      const b = d.business;
      expect(categories.has(b.categoryCode)).toBe(true);
      expect(problems.has(b.problemTypeCode)).toBe(true);
      expect(b.categoryCode.startsWith(`${b.kind}.`)).toBe(true);
      expect(Number.isInteger(b.amountCents) && b.amountCents > 0 && b.amountCents <= 10_000_000_000).toBe(true);
      expect(b.demands.length).toBeGreaterThan(0);
      if (b.channel === 'online_platform') expect(d.respondent.platform).toBeDefined();
      expect(Array.from(d.description as string).length).toBeGreaterThanOrEqual(20);
    }
    for (const d of docs) expect(isValidCreditCode(d.respondent.creditCode)).toBe(true);
  });

  it('gives complaints a verified owner whose person is the complainant, and anonymous reports no contact', () => {
    const byId = new Map(plan.consumers.map((c) => [c.userId, c]));
    for (const c of all) {
      const owner = byId.get((c.doc as Doc).owner.userId)!;
      if (c.doc.type === 'complaint') {
        expect(owner.verified).toBe(true);
        expect(c.contact).toEqual({ name: owner.person.name, idNumber: owner.person.idNumber, phone: owner.person.phone, address: owner.person.address });
      } else if ((c.doc as Doc).anonymous) {
        expect(c.contact).toBeUndefined();
      } else {
        expect(c.contact).toEqual({ phone: owner.person.phone, address: owner.person.address });
      }
    }
    for (const p of plan.consumers) {
      expect(isValidIdNumber(p.person.idNumber)).toBe(true);
      expect(p.person.phone).toMatch(/^1[3-9]\d{9}$/);
    }
    const pii = createPii({ current: 'k1', keys: { k1: Buffer.alloc(32, 7) }, indexKey: Buffer.alloc(32, 9) });
    const generated = all.find((c) => c.contact?.name)!;
    const sample = generated.contact!;
    const sealed = storedCase(pii, generated).complainant as Record<string, string>;
    expect(sealed).toMatchObject({ nameMasked: maskName(sample.name!), phoneMasked: maskPhone(sample.phone) });
    expect(pii.open(sealed.idNumberSealed, casePlace(generated.doc._id, caseField.complainant('idNumber')))).toBe(sample.idNumber);
  });

  it('stores the description and every note sealed, and they open to the generated text', () => {
    const pii = createPii({ current: 'k1', keys: { k1: Buffer.alloc(32, 7) }, indexKey: Buffer.alloc(32, 9) });
    const withNotes = all.filter((c) => (c.doc.timeline as Array<{ note?: string }>).some((t) => t.note)).slice(0, 50);
    expect(withNotes.length).toBeGreaterThan(0);
    for (const c of withNotes) {
      const stored = storedCase(pii, c) as Doc;
      expect(JSON.stringify(stored)).not.toContain(c.doc.description as string);
      for (const t of c.doc.timeline as Array<{ note?: string }>) if (t.note) expect(JSON.stringify(stored.timeline)).not.toContain(t.note);
      const { complainant: _sealedContact, ...opened } = openCase(pii, stored as never) as Doc;
      expect(opened).toEqual(c.doc);
    }
  });

  it('spreads receipts over the window: fewer on days off, the demo bureau busiest, many provinces', () => {
    const from = now.getTime() - 180 * 86_400_000;
    expect(docs.every((d) => d.receivedAt.getTime() > from && d.receivedAt.getTime() <= now.getTime())).toBe(true);
    const perDay = new Map<string, number>();
    for (const d of docs) perDay.set(beijingDate(d.receivedAt), (perDay.get(beijingDate(d.receivedAt)) ?? 0) + 1);
    const avg = (pred: (date: string) => boolean) => {
      const days = [...perDay.keys()].filter((date) => date < '2026-11-10' && pred(date));
      return days.reduce((a, date) => a + perDay.get(date)!, 0) / days.length;
    };
    expect(avg((date) => !isWorkingDay(date))).toBeLessThan(avg(isWorkingDay) * 0.8);
    const byBureau = new Map<string, number>();
    for (const d of docs) byBureau.set(d.bureauCode, (byBureau.get(d.bureauCode) ?? 0) + 1);
    const ranked = [...byBureau].sort((a, b) => b[1] - a[1]);
    expect(ranked[0][0]).toBe('110105');
    expect(new Set(docs.map((d) => d.bureauCode.slice(0, 2))).size).toBeGreaterThanOrEqual(25);
  });

  it('plants a hotspot in the last 7 days: one business and one category far above their usual rate', () => {
    const weekAgo = now.getTime() - 7 * 86_400_000;
    const recent = docs.filter((d) => d.receivedAt.getTime() > weekAgo);
    const earlier = docs.filter((d) => d.receivedAt.getTime() <= weekAgo);
    const rate = (list: Doc[], pred: (d: Doc) => boolean) => list.filter(pred).length / list.length;
    const hot = plan.hotspots;
    const isHotBusiness = (d: Doc) => d.respondent.name === hot.respondent.name;
    expect(rate(recent, isHotBusiness)).toBeGreaterThan(0.05);
    expect(rate(earlier, isHotBusiness)).toBe(0);
    const isHotCategory = (d: Doc) => d.business?.categoryCode === hot.category.categoryCode && d.business?.problemTypeCode === hot.category.problemTypeCode;
    expect(rate(recent, isHotCategory)).toBeGreaterThan(rate(earlier, isHotCategory) * 5);
  });
});
