/**
 * Realistic, varied cases for demos, benchmarks and the insight views: `generateCases` makes them
 * (pure: one seed, one `now` and one bureau list always give the same cases), `insertCases` seals
 * the personal fields, reserves case numbers from the intake's own counters, writes the cases in
 * large batches and adds what they count to the dashboard's counters, summed in memory as they
 * are generated.
 *
 * What the data looks like: about 85% complaints; volume by bureau following population and trade
 * (the demo bureau 110105 and Beijing get a large share); businesses drawn from a pool with a
 * heavy tail; receipt times over the last `days` days with fewer cases at weekends and on
 * holidays, a slow growth, two bursts in the past and two hotspots in the last 7 days (one
 * business and one category); every status of both state machines, reached by walking the real
 * workflow with the real deadline rules (see history.ts).
 */
import mongoose from 'mongoose';
import type { Deps } from '../context';
import { formatCaseNumber } from '../../../shared/complaint/case-number';
import { CATEGORY_TREE_VERSION } from '../../../shared/complaint/categories';
import { maskAddress, type Channel, type Demand, type JurisdictionBasis } from '../../../shared/complaint/intake';
import type { CaseType, ComplaintStatus } from '../../../shared/complaint/status';
import { beijingDate, isWorkingDay } from '../../../shared/calendar/working-days';
import { maskName, maskPhone } from '../../../shared/identity/mask';
import { ID_CONSENT_VERSION } from '../../../shared/api/identity';
import { createWordMatcher } from '../modules/content/content.service';
import { respondentKey } from '../modules/complaints/complaints.service';
import { caseField, sealCase, sealCaseValue, type CaseText } from '../modules/complaints/case-seal';
import { identityPlace } from '../modules/identity/identity.service';
import { nameTerms } from '../../../shared/complaint/search-terms';
import { createRng, hash32, weightedTable, type Rng } from './random';
import { person, platformsIn, respondent as makeRespondent, type Person, type Respondent } from './people';
import { CATEGORY_PROFILES, DEMAND_TEXT, DEMAND_WEIGHTS, PROBLEM_TEXT, REPORT_TEXT } from './catalog';
import { bureauWeights, cityNeighbours, DEMO_BUREAU_CODE } from './geography';
import { walkHistory, type BureauRef } from './history';
import { addTally, CounterTally, type CaseFacts } from '../modules/insight/counters';

export type { BureauRef };

export interface CaseGenOptions {
  count: number;
  /** Receipt times spread over this many days up to `now` (180 by default). */
  days?: number;
  seed?: number;
  /** The end of the window; given, never read from the clock, so the same options give the same cases. */
  now: Date;
  /** The bureau directory the cases are spread over. */
  bureaus: readonly BureauRef[];
}

/** First daily sequence per intake counter ("case:complaint:2026-05-01"); 1 when absent. */
export type FirstSequence = Readonly<Record<string, number>>;

/** A consumer account as the login and identity flows leave it, with the person behind it. */
export interface SeedConsumer {
  userId: string;
  platform: 'wechat' | 'alipay';
  platformUserId: string;
  /** Real-name verified: may file complaints. */
  verified: boolean;
  identityId?: string;
  person: Person;
  since: Date;
}

/** The complainant's details in plain text, sealed by insertCases as the intake seals them. */
export interface Contact {
  name?: string;
  idNumber?: string;
  phone: string;
  address: string;
}

export interface GeneratedCase {
  /** The case document in plain text and without the complainant: storedCase seals it. */
  doc: Record<string, unknown> & { _id: mongoose.Types.ObjectId; number: string; type: CaseType; status: ComplaintStatus; bureauCode: string; receivedAt: Date };
  contact?: Contact;
}

export interface GeneratedCases {
  consumers: SeedConsumer[];
  /** Cases per intake counter, to reserve numbers before numbering. */
  counters: Map<string, number>;
  /** The hotspots planted in the last 7 days, so tests and demos know what to look for. */
  hotspots: { respondent: { name: string; creditCode: string; bureauCode: string; cases: number }; category: { categoryCode: string; problemTypeCode: string; cases: number } };
  /** The cases in receipt order, numbered from `firstSequence`; the same cases on every call. */
  cases(firstSequence?: FirstSequence): Generator<GeneratedCase>;
}

const DAY = 86_400_000;
const REPORT_SHARE = 0.15;
/** Consumers by hour of the day (Beijing): few at night, peaks mid-morning and in the evening. */
const HOUR_WEIGHTS = [0.3, 0.15, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.5, 4, 4.5, 4.2, 3, 3, 3.8, 4, 3.8, 3.5, 3, 3.5, 3.8, 3.5, 2.5, 1.2];

/** Kinds of case slots: ordinary volume, and the planted spikes. */
type Kind = 'background' | 'hotRespondent' | 'hotCategory' | 'foodIncident';

interface Slot {
  at: number;
  type: CaseType;
  kind: Kind;
}

const HOT_CATEGORY = { categoryCode: 'goods.cosmetics', problemTypeCode: 'counterfeit.fake_brand' } as const;
const HOT_RESPONDENT_CATEGORY = { categoryCode: 'services.fitness', problemTypeCode: 'contract.prepaid' } as const;

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
const dateMinus = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) - days * DAY).toISOString().slice(0, 10);
const beijingMidnight = (date: string) => Date.parse(`${date}T00:00:00+08:00`);

/** A minute of the day by the hour weights, before `limitMs` when given (today). */
function timeOfDay(rng: Rng, dayStart: number, limitMs?: number): number {
  const maxHour = limitMs === undefined ? 23 : Math.floor((limitMs - dayStart) / 3_600_000);
  const hours = HOUR_WEIGHTS.slice(0, maxHour + 1).map((w, h) => [h, w] as const);
  const at = dayStart + rng.weighted(hours) * 3_600_000 + rng.int(0, 3_599) * 1000;
  return limitMs === undefined ? at : Math.min(at, limitMs - rng.int(1, 600) * 1000);
}

/** The plan: when each case arrives and whether it is a complaint or a report, in time order. */
function planSlots(rng: Rng, count: number, days: number, now: Date): Slot[] {
  const today = beijingDate(now);
  const nowMs = now.getTime();
  const dayStarts = Array.from({ length: days }, (_, d) => beijingMidnight(dateMinus(today, d)));
  const elapsedToday = (nowMs - dayStarts[0]) / DAY;
  const festival = Math.round(days * 0.55);
  const weights = dayStarts.map((start, d) => {
    const date = dateMinus(today, d);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    let w = isWorkingDay(date) ? 1 : weekday === 0 || weekday === 6 ? 0.6 : 0.5;
    w *= 0.85 + 0.3 * (1 - d / days);
    if (d >= festival && d < festival + 3) w *= 1.8;
    if (d === 0) w *= Math.max(0.02, elapsedToday);
    return w;
  });
  const hotRespondent = count >= 50 ? Math.max(3, Math.round(count * 0.012)) : 0;
  const hotCategory = count >= 50 ? Math.max(3, Math.round(count * 0.01)) : 0;
  const incident = count >= 200 && days >= 40 ? Math.round(count * 0.004) : 0;
  const background = count - hotRespondent - hotCategory - incident;
  const pickDay = weightedTable(dayStarts.map((_, d) => d), (d) => weights[d]);
  const lastWeek = Math.min(7, days);
  // Rising over the last week: most of the spike in the last three days.
  const pickRecent = weightedTable(Array.from({ length: lastWeek }, (_, d) => d), (d) => ([12, 10, 8, 5, 3, 2, 1][d] ?? 1) * (d === 0 ? Math.max(0.1, elapsedToday) : 1));
  const incidentDay = Math.round(days * 0.3);

  const slots: Slot[] = [];
  const add = (d: number, kind: Kind, type: CaseType) => slots.push({ at: timeOfDay(rng, dayStarts[d], d === 0 ? nowMs : undefined), type, kind });
  for (let i = 0; i < background; i += 1) add(pickDay(rng), 'background', rng.chance(REPORT_SHARE) ? 'report' : 'complaint');
  for (let i = 0; i < hotRespondent; i += 1) add(pickRecent(rng), 'hotRespondent', rng.chance(0.08) ? 'report' : 'complaint');
  for (let i = 0; i < hotCategory; i += 1) add(pickRecent(rng), 'hotCategory', 'complaint');
  for (let i = 0; i < incident; i += 1) add(Math.min(days - 1, incidentDay + rng.int(0, 2)), 'foodIncident', 'complaint');
  return slots.sort((a, b) => a.at - b.at);
}

export const counterName = (type: CaseType, date: string) => `case:${type}:${date}`;

function logUniform(rng: Rng, [lo, hi]: readonly [number, number]): number {
  return Math.exp(Math.log(lo) + rng.next() * (Math.log(hi) - Math.log(lo)));
}

/** Prices people pay: round yuan for large sums, .00/.90/.99 endings for small ones. */
function amountCents(rng: Rng, range: readonly [number, number]): number {
  const yuan = logUniform(rng, range);
  if (yuan >= 1000) return Math.round(yuan / 10) * 1000;
  if (yuan >= 100) return Math.round(yuan) * 100;
  return Math.floor(yuan) * 100 + rng.pick([0, 0, 90, 99, 50]);
}

function demands(rng: Rng, problem: string) {
  const count = rng.weighted([[1, 55], [2, 35], [3, 10]] as const);
  const chosen = new Set<Demand>();
  if (problem.startsWith('dignity.')) chosen.add('apology');
  while (chosen.size < count) chosen.add(rng.weighted(DEMAND_WEIGHTS));
  return [...chosen].map((type) => {
    const texts = DEMAND_TEXT[type];
    return type === 'other' || (texts && rng.chance(0.3)) ? { type, text: rng.pick(texts!) } : { type };
  });
}

const CONTACT_WORD = '加微信';
const matchWords = createWordMatcher();

/** Generates the consumers and, lazily, the cases. Nothing here touches a database or the clock. */
export function generateCases(opts: CaseGenOptions): GeneratedCases {
  const count = Math.max(0, Math.floor(opts.count));
  const days = clamp(Math.floor(opts.days ?? 180), 1, 3650);
  const seed = opts.seed ?? 1;
  const now = opts.now;
  if (opts.bureaus.length === 0) throw new Error('the bureau directory is empty: seed the bureaus first');
  const root = createRng(seed);

  const bureauByCode = new Map(opts.bureaus.map((b) => [b.code, b]));
  const bureauByRegion = new Map<string, BureauRef>();
  for (const b of [...opts.bureaus].sort((a, b) => a.code.localeCompare(b.code))) if (!bureauByRegion.has(b.regionCode)) bureauByRegion.set(b.regionCode, b);
  const weights = bureauWeights(opts.bureaus);
  const pickBureau = weightedTable(opts.bureaus, (b) => weights.get(b.code) ?? 0);
  const neighbours = cityNeighbours(opts.bureaus);
  const platforms = platformsIn(new Set(opts.bureaus.map((b) => b.regionCode)));
  const fallbackBureau = bureauByCode.get(DEMO_BUREAU_CODE) ?? opts.bureaus[0];

  // Consumers: one per four cases, at least 20; four in five verified; a few professional complainants.
  const consumerRng = root.fork('consumers');
  const consumerCount = clamp(Math.round(count / 4), 20, 30_000);
  const objectId = (rng: Rng, at: number) =>
    Math.floor(at / 1000).toString(16).padStart(8, '0') + Array.from({ length: 4 }, () => rng.int(0, 0xffff).toString(16).padStart(4, '0')).join('');
  const since = now.getTime() - (days + 30) * DAY;
  const seenIds = new Set<string>();
  const consumers: SeedConsumer[] = [];
  for (let i = 0; i < consumerCount; i += 1) {
    const platform = consumerRng.chance(0.7) ? 'wechat' : 'alipay';
    const joined = since - consumerRng.int(0, 700) * DAY;
    let p = person(consumerRng, pickBureau(consumerRng).regionCode);
    while (seenIds.has(p.idNumber)) p = person(consumerRng, p.idNumber.slice(0, 6));
    seenIds.add(p.idNumber);
    const verified = i < 15 || consumerRng.chance(0.8);
    consumers.push({
      userId: objectId(consumerRng, joined),
      platform,
      platformUserId:
        platform === 'wechat'
          ? `o${Array.from({ length: 27 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[consumerRng.int(0, 63)]).join('')}`
          : `2088${String(consumerRng.int(0, 999_999)).padStart(6, '0')}${String(consumerRng.int(0, 999_999)).padStart(6, '0')}`,
      verified,
      ...(verified ? { identityId: objectId(consumerRng, joined) } : {}),
      person: p,
      since: new Date(joined),
    });
  }
  const verifiedConsumers = consumers.filter((c) => c.verified);
  const professionals = verifiedConsumers.slice(0, 15);

  // Businesses: a heavy tail, the one at rank r drawing weight 1 / (r + 20).
  const businessRng = root.fork('respondents');
  const respondentCount = clamp(Math.round(count / 6), 40, 20_000);
  const categoryCodes = Object.keys(CATEGORY_PROFILES);
  const pickCategory = weightedTable(categoryCodes, (c) => CATEGORY_PROFILES[c].weight);
  const names = new Set<string>();
  const newRespondent = (rng: Rng, county: string, category: string): Respondent => {
    const profile = CATEGORY_PROFILES[category];
    const sameCity = neighbours.get(county.slice(0, 4)) ?? [];
    for (;;) {
      const r = makeRespondent(rng, {
        county,
        category,
        otherCategories: rng.chance(0.2) ? [pickCategory(rng)].filter((c) => c !== category && c.split('.')[0] === category.split('.')[0]) : [],
        domicileCounty: rng.chance(0.08) && sameCity.length > 1 ? rng.pick(sameCity).regionCode : undefined,
        sellsOnline: rng.chance(profile.online),
        platforms,
      });
      if (!names.has(r.name)) {
        names.add(r.name);
        return r;
      }
    }
  };
  const respondents = Array.from({ length: respondentCount }, () => newRespondent(businessRng, pickBureau(businessRng).regionCode, pickCategory(businessRng)));
  const pickRespondent = weightedTable(respondents.map((_, i) => i), (i) => 1 / (i + 20));
  const cosmetics = respondents.filter((r) => r.categories.includes(HOT_CATEGORY.categoryCode));
  if (cosmetics.length === 0) {
    const extra = newRespondent(businessRng, pickBureau(businessRng).regionCode, HOT_CATEGORY.categoryCode);
    respondents.push(extra);
    cosmetics.push(extra);
  }
  const pickCosmetics = weightedTable(cosmetics, () => 1);
  const demoRegion = fallbackBureau.regionCode;
  const hotRespondent = newRespondent(businessRng, demoRegion, HOT_RESPONDENT_CATEGORY.categoryCode);
  delete hotRespondent.platform;
  const incidentRegion = bureauByRegion.has('440106') ? '440106' : pickBureau(businessRng).regionCode;
  const incidentRespondent = newRespondent(businessRng, incidentRegion, 'goods.food');

  const slots = planSlots(root.fork('slots'), count, days, now);
  const counters = new Map<string, number>();
  const counterOf: string[] = new Array(slots.length);
  const indexInDay: number[] = new Array(slots.length);
  for (let i = 0; i < slots.length; i += 1) {
    const key = counterName(slots[i].type, beijingDate(new Date(slots[i].at)));
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    counterOf[i] = key;
    indexInDay[i] = n;
  }

  const transferTarget = (rng: Rng, from: BureauRef) => {
    for (let tries = 0; tries < 5; tries += 1) {
      const b = pickBureau(rng);
      if (b.code !== from.code) return b;
    }
    return undefined;
  };
  const reassignTarget = (rng: Rng, from: BureauRef) => {
    const options = (neighbours.get(from.regionCode.slice(0, 4)) ?? []).filter((b) => b.code !== from.code);
    return options.length ? rng.pick(options) : undefined;
  };

  function* cases(firstSequence: FirstSequence = {}): Generator<GeneratedCase> {
    for (let i = 0; i < slots.length; i += 1) {
      const slot = slots[i];
      const rng = root.fork(`case:${i}`);
      const receivedAt = new Date(slot.at);
      const date = beijingDate(receivedAt);
      const number = formatCaseNumber(slot.type, date, (firstSequence[counterOf[i]] ?? 1) + indexInDay[i]);

      let r: Respondent;
      let category: string;
      let problem: string | undefined;
      if (slot.kind === 'hotRespondent') {
        r = hotRespondent;
        ({ categoryCode: category, problemTypeCode: problem } = HOT_RESPONDENT_CATEGORY);
      } else if (slot.kind === 'hotCategory') {
        r = pickCosmetics(rng);
        ({ categoryCode: category, problemTypeCode: problem } = HOT_CATEGORY);
      } else if (slot.kind === 'foodIncident') {
        r = incidentRespondent;
        category = 'goods.food';
        problem = 'safety.food_safety';
      } else {
        r = respondents[pickRespondent(rng)];
        category = rng.pick(r.categories);
      }
      const profile = CATEGORY_PROFILES[category];
      problem ??= rng.chance(0.9) ? rng.weighted(profile.problems) : rng.pick(Object.keys(PROBLEM_TEXT));

      const isComplaint = slot.type === 'complaint';
      const online = !!r.platform && rng.chance(0.85);
      const channel: Channel = online ? 'online_platform' : rng.weighted([['store', 85], ['other', 7], ['tv_phone', 4], ['door_to_door', 4]] as const);
      const basis: JurisdictionBasis =
        online && isComplaint && rng.chance(0.4) ? 'platform_domicile' : r.domicileRegionCode && rng.chance(0.3) ? 'domicile' : 'place_of_business';
      const regionCode = basis === 'platform_domicile' ? r.platform!.regionCode : basis === 'domicile' ? r.domicileRegionCode! : r.regionCode;
      const found = bureauByRegion.get(regionCode);
      const bureau = found ?? fallbackBureau;

      const owner = isComplaint
        ? rng.chance(0.04) ? rng.pick(professionals) : rng.pick(verifiedConsumers)
        : rng.pick(consumers);
      const anonymous = !isComplaint && rng.chance(0.4);
      const amount = amountCents(rng, profile.yuan);
      const product = rng.pick(profile.products);
      const occurredOn = dateMinus(date, Math.floor(rng.next() * rng.next() * 60));
      const flagged = rng.chance(0.008);
      const problemText = rng.pick(PROBLEM_TEXT[problem] ?? PROBLEM_TEXT['other.other']);
      const description = isComplaint
        ? `${occurredOn.slice(0, 4)}年${Number(occurredOn.slice(5, 7))}月${Number(occurredOn.slice(8, 10))}日${online ? `在${r.platform!.name}平台上的店铺` : '在该店'}购买${product}，花费${(amount / 100).toFixed(2)}元，${problemText}。${
            flagged ? `商家客服让我${CONTACT_WORD}私下处理，` : ''
          }与商家协商未果，请求市场监管部门处理。`
        : `举报${r.name}${rng.pick(REPORT_TEXT)}，请依法查处。`;
      const words = matchWords(description);

      const history = walkHistory(rng, {
        type: slot.type,
        receivedAt,
        now,
        bureau,
        realName: isComplaint || !anonymous,
        flagged: words.length > 0,
        amountCents: isComplaint ? amount : undefined,
        online,
        transferTarget,
        reassignTarget,
      });

      const contact: Contact | undefined = isComplaint
        ? { name: owner.person.name, idNumber: owner.person.idNumber, phone: owner.person.phone, address: owner.person.address }
        : anonymous
          ? undefined
          : { phone: owner.person.phone, address: owner.person.address };

      // Receipt time first, as an ObjectId made at intake would have; the rest from the (unique) number.
      const id = [Math.floor(slot.at / 1000), hash32(number), hash32(number, seed)].map((n) => n.toString(16).padStart(8, '0')).join('');
      const doc: GeneratedCase['doc'] = {
        _id: new mongoose.Types.ObjectId(id),
        number,
        type: slot.type,
        status: history.status,
        version: history.version,
        bureauCode: history.bureauCode,
        owner: { userId: owner.userId, platform: owner.platform },
        idempotencyKey: `seed-${number}`,
        respondent: {
          name: r.name,
          nameKey: respondentKey(r.name),
          terms: nameTerms(r.name),
          creditCode: r.creditCode,
          address: r.address,
          regionCode: r.regionCode,
          ...(r.domicileRegionCode ? { domicileRegionCode: r.domicileRegionCode } : {}),
          ...(online ? { platform: r.platform } : {}),
        },
        // As the schema's default would store it: the documents are written without casting.
        anonymous,
        ...(isComplaint
          ? {
              business: {
                kind: category.split('.')[0],
                categoryCode: category,
                problemTypeCode: problem,
                categoryTreeVersion: CATEGORY_TREE_VERSION,
                channel,
                productName: product,
                amountCents: amount,
                occurredOn,
                demands: demands(rng, problem),
              },
            }
          : {}),
        description,
        evidence: [],
        jurisdiction: { basis, regionCode, bureauCode: bureau.code, bureauName: bureau.name, fallback: !found },
        flags: words.length ? [{ source: 'wordlist', verdict: words[0].reason, words: words.map((w) => w.word), at: receivedAt }] : [],
        flagged: words.length > 0,
        linkedCases: [],
        receivedAt,
        deadlines: history.deadlines,
        timeline: history.timeline,
        deliveries: {},
        outboxPending: 0,
        outboxDead: 0,
        transfers: history.transfers,
        pauses: history.pauses,
        ...(history.pausedOn ? { pausedOn: history.pausedOn, pauseNote: history.pauseNote } : {}),
        ...(history.decidedAt ? { decidedAt: history.decidedAt } : {}),
        deadlineState: history.deadlineState,
        ...(history.dueOn ? { dueOn: history.dueOn } : {}),
        ...(history.feedback ? { feedback: history.feedback } : {}),
        createdAt: receivedAt,
        updatedAt: history.lastAt,
        // The version key a casting insert adds.
        __v: 0,
      };
      yield { doc, ...(contact ? { contact } : {}) };
    }
  }

  return {
    consumers,
    counters,
    hotspots: {
      respondent: { name: hotRespondent.name, creditCode: hotRespondent.creditCode, bureauCode: bureauByRegion.get(demoRegion)?.code ?? fallbackBureau.code, cases: slots.filter((s) => s.kind === 'hotRespondent').length },
      category: { ...HOT_CATEGORY, cases: slots.filter((s) => s.kind === 'hotCategory').length },
    },
    cases,
  };
}

/** The complainant snapshot as the intake stores it: sealed at rest (bound to the case), masked for display. */
export function complainantRecord(pii: Deps['pii'], caseId: mongoose.Types.ObjectId, c: Contact) {
  const seal = (f: 'name' | 'idNumber' | 'phone' | 'address', value: string) => sealCaseValue(pii, caseId, caseField.complainant(f), value);
  return {
    ...(c.name ? { nameSealed: seal('name', c.name), nameMasked: maskName(c.name) } : {}),
    ...(c.idNumber ? { idNumberSealed: seal('idNumber', c.idNumber) } : {}),
    phoneSealed: seal('phone', c.phone),
    addressSealed: seal('address', c.address),
    phoneMasked: maskPhone(c.phone),
    addressMasked: maskAddress(c.address),
  };
}

/** A generated case as the intake stores it: its free text and the complainant's details sealed. */
export function storedCase(pii: Deps['pii'], c: GeneratedCase): GeneratedCase['doc'] {
  const doc = sealCase(pii, c.doc as GeneratedCase['doc'] & CaseText);
  return c.contact ? { ...doc, complainant: complainantRecord(pii, c.doc._id, c.contact) } : doc;
}

export interface InsertOptions {
  count: number;
  days?: number;
  seed?: number;
  now?: Date;
  /** Called every few thousand cases. */
  onProgress?: (done: number, total: number) => void;
}

export interface InsertResult {
  cases: number;
  complaints: number;
  reports: number;
  consumers: number;
  byStatus: Record<string, number>;
  hotspots: GeneratedCases['hotspots'];
  /** The dashboard counters the cases added to: documents written (new or incremented), days, time taken. */
  counters?: { documents: number; days: number; seconds: number };
  seconds: number;
}

/** Documents per insert command (the driver splits a command further by size). */
const BATCH = 1000;
/** Batches written at once: generating the next ones overlaps the database's work. */
const IN_FLIGHT = 2;
/** Intake counters reserved at once. */
const COUNTER_CONCURRENCY = 16;

type WriteFailure = { code?: number; err?: { code?: number } };
const isDuplicate = (err: unknown) => {
  const e = err as { code?: number; writeErrors?: WriteFailure | WriteFailure[] };
  const failures = e.writeErrors === undefined ? [] : ([] as WriteFailure[]).concat(e.writeErrors);
  return e.code === 11000 || (failures.length > 0 && failures.every((w) => (w.code ?? w.err?.code) === 11000));
};

/** Inserts in batches; documents that exist already (a repeated run with the same seed) are left as they are. */
async function insertAll<T>(model: mongoose.Model<T>, docs: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    await model.insertMany(docs.slice(i, i + BATCH), { ordered: false }).catch((err: unknown) => {
      if (!isDuplicate(err)) throw err;
    });
  }
}

/**
 * Adds `count` generated cases (and their consumers) to the database. Running it again adds
 * more: numbers continue from the intake's counters, so they never collide with earlier seeds
 * or with real intake; consumers of the same seed are reused.
 */
export async function insertCases(deps: Deps, opts: InsertOptions): Promise<InsertResult> {
  const started = Date.now();
  const { Bureau, Case, Counter, Identity, User } = deps.models;
  const bureaus = await Bureau.find({}, { _id: 0, code: 1, name: 1, regionCode: 1 }).lean<BureauRef[]>();
  const now = opts.now ?? new Date();
  const plan = generateCases({ count: opts.count, days: opts.days, seed: opts.seed, now, bureaus });

  const verified = plan.consumers.filter((c) => c.verified);
  // Consumers, their identities and the case numbers are independent: written side by side.
  const users = insertAll(
    User,
    plan.consumers.map((c) => ({
      _id: new mongoose.Types.ObjectId(c.userId),
      platform: c.platform,
      platformUserId: c.platformUserId,
      verified: c.verified,
      ...(c.identityId ? { identityId: new mongoose.Types.ObjectId(c.identityId) } : {}),
      lastLoginAt: now,
      createdAt: c.since,
      updatedAt: c.since,
    })),
  );
  const identities = insertAll(
    Identity,
    verified.map((c) => ({
      _id: new mongoose.Types.ObjectId(c.identityId),
      idIndex: deps.pii.index('id', c.person.idNumber),
      name: deps.pii.seal(c.person.name, identityPlace(c.identityId, 'name')),
      idNumber: deps.pii.seal(c.person.idNumber, identityPlace(c.identityId, 'idNumber')),
      accounts: [{ userId: c.userId, platform: c.platform, verifiedAt: c.since, consent: { at: c.since, version: ID_CONSENT_VERSION } }],
      linkedUserIds: [],
      version: 0,
      createdAt: c.since,
      updatedAt: c.since,
    })),
  );

  // Numbers: each day's block is taken from the intake's own counter, so intake continues after it.
  const firstSequence: Record<string, number> = {};
  const reserve = [...plan.counters];
  const numbers = Promise.all(
    Array.from({ length: COUNTER_CONCURRENCY }, async () => {
      for (let next = reserve.shift(); next; next = reserve.shift()) {
        const [name, n] = next;
        const counter = await Counter.findOneAndUpdate({ _id: name }, { $inc: { seq: n } }, { upsert: true, returnDocument: 'after' }).lean<{ seq: number }>();
        firstSequence[name] = counter!.seq - n + 1;
      }
    }),
  );
  await Promise.all([users, identities, numbers]);

  // What the cases add to the dashboard's counters, summed as they are generated (see CounterTally).
  const regions = new Map(bureaus.map((b) => [b.code, b.regionCode]));
  const tally = new CounterTally();

  const result: InsertResult = { cases: 0, complaints: 0, reports: 0, consumers: plan.consumers.length, byStatus: {}, hotspots: plan.hotspots, seconds: 0 };
  let batch: Record<string, unknown>[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const flush = async () => {
    const docs = batch;
    batch = [];
    // Written as generated: the documents are already what the schema stores (a unit test checks),
    // so mongoose's casting and validation of every document is skipped.
    const write = Case.insertMany(docs, { ordered: false, lean: true }).then(() => {
      result.cases += docs.length;
      if (opts.onProgress && Math.floor(result.cases / 5000) !== Math.floor((result.cases - docs.length) / 5000)) opts.onProgress(result.cases, opts.count);
    });
    inFlight.add(write);
    void write.finally(() => inFlight.delete(write)).catch(() => undefined);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  };
  for (const generated of plan.cases(firstSequence)) {
    const { doc } = generated;
    batch.push(storedCase(deps.pii, generated));
    tally.add(doc as unknown as CaseFacts, regions.get(doc.bureauCode) ?? '');
    result[doc.type === 'complaint' ? 'complaints' : 'reports'] += 1;
    result.byStatus[doc.status] = (result.byStatus[doc.status] ?? 0) + 1;
    if (batch.length === BATCH) await flush();
  }
  if (batch.length) await flush();
  await Promise.all(inFlight);

  // Cases written in bulk skip the per-change counters: their sums are added at once.
  const countersStarted = Date.now();
  await addTally(deps.conn, tally);
  result.counters = { documents: tally.docs.size, days: tally.days.size, seconds: (Date.now() - countersStarted) / 1000 };

  result.seconds = (Date.now() - started) / 1000;
  return result;
}
