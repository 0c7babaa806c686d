/**
 * Key rotation (`npm run rotate-keys`): re-seals every sealed value under the current key id
 * (PII_KEY_ID) and the current format, so an old key can be retired. Walks cases, identities,
 * users, drafts and the evidence files' data keys (the evidence bytes stay as they are: only the
 * data key that opens them is re-sealed) in _id order, a batch at a time.
 *
 * - Idempotent: a value already current is left alone; a second run changes nothing.
 * - Resumable: after each batch the collection and last _id are saved, so a stopped run goes on
 *   from there (a run for another current key starts over).
 * - Safe beside the app: each write is conditional on the values it replaces, so a value the app
 *   changed meanwhile is not overwritten; that document is read again and retried.
 * - Also seals the free text of cases stored before it was sealed (description, notes).
 */
import type { Connection, Types } from 'mongoose';
import { looksSealed, SealedValueError, type Pii, type SealPlace } from '../infra/pii';
import { caseSealedEntries, casePlace, type CaseText } from '../modules/complaints/case-seal';
import { identityPlace, phonePlace } from '../modules/identity/identity.service';
import { draftPlace } from '../modules/drafts/drafts.service';
import { dataKeyPlace, FILES_COLLECTION } from '../modules/evidence/evidence.cipher';

/** A raw document of any of the collections walked. */
type Document = Record<string, any>;

interface Entry {
  /** Update path of the value in its document. */
  path: string;
  place: SealPlace;
  value: string;
  /** Free text that may still be stored as typed, from before it was sealed. */
  maybePlain: boolean;
}

interface Target {
  collection: string;
  projection: Document;
  entries(doc: Document): Entry[];
}

const at = (doc: Document, path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], doc);
const one = (doc: Document, path: string, place: SealPlace): Entry[] => {
  const value = at(doc, path);
  return typeof value === 'string' && value ? [{ path, place, value, maybePlain: false }] : [];
};

/** Every collection holding sealed values, in the order a run walks them. */
export const TARGETS: readonly Target[] = [
  {
    collection: 'cases',
    projection: { complainant: 1, description: 1, 'business.demands': 1, 'timeline.at': 1, 'timeline.note': 1, pauseNote: 1, pauses: 1, transfers: 1, feedback: 1, deliveries: 1 },
    entries: (doc) => caseSealedEntries(doc as CaseText).map((e) => ({ path: e.path, place: casePlace(doc._id, e.field), value: e.value, maybePlain: e.maybePlain })),
  },
  {
    collection: 'identities',
    projection: { name: 1, idNumber: 1 },
    entries: (doc) => [...one(doc, 'name', identityPlace(doc._id, 'name')), ...one(doc, 'idNumber', identityPlace(doc._id, 'idNumber'))],
  },
  { collection: 'users', projection: { 'phone.sealed': 1 }, entries: (doc) => one(doc, 'phone.sealed', phonePlace(doc._id)) },
  { collection: 'drafts', projection: { sealed: 1 }, entries: (doc) => one(doc, 'sealed', draftPlace(doc._id)) },
  { collection: FILES_COLLECTION, projection: { 'metadata.cipher.dataKey': 1 }, entries: (doc) => one(doc, 'metadata.cipher.dataKey', dataKeyPlace(doc._id)) },
];

/** Where a run stands; kept in the database so a stopped run can go on. */
export const CHECKPOINT_COLLECTION = 'maintenance';
const CHECKPOINT_ID = 'rotate-keys';

interface Checkpoint {
  _id: string;
  /** The key id this run seals under. */
  target: string;
  collection: string;
  lastId: Types.ObjectId | null;
  counts: Record<string, Counts>;
  startedAt: Date;
  updatedAt: Date;
}

export interface Counts {
  /** Documents read. */
  scanned: number;
  /** Documents written with re-sealed values. */
  updated: number;
  /** Values re-sealed. */
  values: number;
  /** Documents whose write lost to a concurrent change of the app and was retried. */
  retried: number;
  /** Documents with a value that does not open (tampered or under an unknown key): left as they are. */
  failed: number;
}

export interface RotationProgress {
  collection: string;
  counts: Counts;
  /** Documents read per second in this run. */
  rate: number;
}

export interface RotationOptions {
  batchSize?: number;
  /** Stops after this many batches (the checkpoint stays), as a stopped run would. */
  maxBatches?: number;
  /** Stops after the current batch once aborted (Ctrl-C); the checkpoint stays. */
  signal?: AbortSignal;
  onProgress?: (p: RotationProgress) => void;
  /** Told the place (never the value) of a value that does not open. */
  onFailure?: (place: SealPlace, err: SealedValueError) => void;
  /** Runs between reading a document and writing it (tests put a concurrent change of the app there). */
  beforeWrite?: (collection: string, id: unknown) => Promise<void>;
}

export interface RotationResult {
  complete: boolean;
  target: string;
  counts: Record<string, Counts>;
  seconds: number;
}

const MAX_RETRIES = 5;

const zero = (): Counts => ({ scanned: 0, updated: 0, values: 0, retried: 0, failed: 0 });

/** The new values of a document's stale entries, or null when one does not open. */
function resealed(pii: Pii, entries: Entry[], opts: RotationOptions): Array<Entry & { next: string }> | null {
  const out: Array<Entry & { next: string }> = [];
  for (const e of entries) {
    const plain = e.maybePlain && !looksSealed(e.value);
    if (!plain && !pii.stale(e.value)) continue;
    try {
      out.push({ ...e, next: pii.seal(plain ? e.value : pii.open(e.value, e.place), e.place) });
    } catch (err) {
      if (!(err instanceof SealedValueError)) throw err;
      opts.onFailure?.(e.place, err);
      return null;
    }
  }
  return out;
}

type Collection = ReturnType<NonNullable<Connection['db']>['collection']>;

/** The update of one document: each stale value replaced, on condition it still holds what was read. */
function planOf(pii: Pii, target: Target, doc: Document, c: Counts, opts: RotationOptions) {
  const changes = resealed(pii, target.entries(doc), opts);
  if (!changes) {
    c.failed += 1;
    return null;
  }
  if (changes.length === 0) return null;
  const filter: Document = { _id: doc._id };
  const $set: Document = {};
  for (const e of changes) {
    filter[e.path] = e.value;
    $set[e.path] = e.next;
  }
  return { doc, changes, filter, $set };
}

/**
 * One write for the batch; a document the app changed since it was read (its condition no longer
 * holds) is read again and retried alone.
 */
async function resealBatch(collection: Collection, target: Target, docs: Document[], c: Counts, pii: Pii, opts: RotationOptions): Promise<void> {
  const plans = docs.map((doc) => planOf(pii, target, doc, c, opts)).filter((p) => p !== null);
  if (plans.length === 0) return;
  for (const p of plans) await opts.beforeWrite?.(target.collection, p.doc._id);
  const r = await collection.bulkWrite(
    plans.map((p) => ({ updateOne: { filter: p.filter, update: { $set: p.$set } } })),
    { ordered: false },
  );
  let lost = plans;
  if (r.matchedCount === plans.length) lost = [];
  else {
    // Which writes took: a re-sealed value is new (fresh IV), so finding it means this write did.
    const now = await collection.find({ _id: { $in: plans.map((p) => p.doc._id) } }, { projection: target.projection }).toArray();
    const byId = new Map(now.map((d) => [String(d._id), d]));
    lost = plans.filter((p) => at(byId.get(String(p.doc._id)) ?? {}, p.changes[0].path) !== p.changes[0].next);
  }
  for (const p of plans) {
    if (lost.includes(p)) continue;
    c.updated += 1;
    c.values += p.changes.length;
  }
  for (const p of lost) {
    c.retried += 1;
    await resealOne(collection, target, p.doc._id, c, pii, opts);
  }
}

async function resealOne(collection: Collection, target: Target, id: unknown, c: Counts, pii: Pii, opts: RotationOptions): Promise<void> {
  for (let attempt = 0; attempt <= MAX_RETRIES; attempt += 1) {
    const doc = await collection.findOne({ _id: id as Types.ObjectId }, { projection: target.projection });
    const plan = doc && planOf(pii, target, doc, c, opts);
    if (!plan) return;
    await opts.beforeWrite?.(target.collection, id);
    const r = await collection.updateOne(plan.filter, { $set: plan.$set });
    if (r.matchedCount === 1) {
      c.updated += 1;
      c.values += plan.changes.length;
      return;
    }
    c.retried += 1;
  }
  throw new Error(`${target.collection} ${String(id)} keeps changing; run the rotation again later`);
}

export async function rotateKeys(conn: Connection, pii: Pii, opts: RotationOptions = {}): Promise<RotationResult> {
  const db = conn.db!;
  const batchSize = opts.batchSize ?? 500;
  const checkpoints = db.collection<Checkpoint>(CHECKPOINT_COLLECTION);
  const started = Date.now();
  const saved = await checkpoints.findOne({ _id: CHECKPOINT_ID });
  // A checkpoint of a run towards another key is stale: this run starts from the beginning.
  const resume = saved?.target === pii.current ? saved : null;
  const counts: Record<string, Counts> = resume?.counts ?? {};
  const startedAt = resume?.startedAt ?? new Date();
  let scannedThisRun = 0;
  let batches = 0;

  const startIndex = resume ? Math.max(0, TARGETS.findIndex((t) => t.collection === resume.collection)) : 0;
  for (const target of TARGETS.slice(startIndex)) {
    const collection = db.collection(target.collection);
    const c = (counts[target.collection] ??= zero());
    let lastId: Types.ObjectId | null = resume?.collection === target.collection ? resume.lastId : null;
    for (;;) {
      if (opts.signal?.aborted || (opts.maxBatches !== undefined && batches >= opts.maxBatches)) {
        return { complete: false, target: pii.current, counts, seconds: (Date.now() - started) / 1000 };
      }
      const docs = await collection
        .find(lastId === null ? {} : { _id: { $gt: lastId } }, { projection: target.projection })
        .sort({ _id: 1 })
        .limit(batchSize)
        .toArray();
      if (docs.length === 0) break;
      await resealBatch(collection, target, docs, c, pii, opts);
      c.scanned += docs.length;
      scannedThisRun += docs.length;
      batches += 1;
      lastId = docs[docs.length - 1]._id as Types.ObjectId;
      await checkpoints.updateOne(
        { _id: CHECKPOINT_ID },
        { $set: { target: pii.current, collection: target.collection, lastId, counts, startedAt, updatedAt: new Date() } },
        { upsert: true },
      );
      opts.onProgress?.({ collection: target.collection, counts: c, rate: scannedThisRun / Math.max(0.001, (Date.now() - started) / 1000) });
    }
    // The next collection from its start, should the run stop between the two.
    const next = TARGETS[TARGETS.indexOf(target) + 1];
    if (next) {
      await checkpoints.updateOne(
        { _id: CHECKPOINT_ID },
        { $set: { target: pii.current, collection: next.collection, lastId: null, counts, startedAt, updatedAt: new Date() } },
        { upsert: true },
      );
    }
  }
  await checkpoints.deleteOne({ _id: CHECKPOINT_ID });
  return { complete: true, target: pii.current, counts, seconds: (Date.now() - started) / 1000 };
}
