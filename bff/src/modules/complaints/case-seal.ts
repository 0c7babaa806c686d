/**
 * What of a case is sealed at rest and where each value is bound: the complainant's contact
 * details, the description, the demands' text, and every free-text note of handling (timeline
 * notes, testing notes, transfer reasons, the consumer's feedback). Services store sealed values
 * and open them when a case is shown; the key rotation walks the same list.
 *
 * The data of an outbox entry (the subscription message, which can quote a staff note) is sealed
 * as JSON too, and opened by the sender.
 *
 * An entry of a list is bound to what identifies it in the case (its time), so a note cannot be
 * moved to another step either (an internal reassignment's note shown on a public step).
 */
import { looksSealed, type Pii, type SealPlace } from '../../infra/pii';

type Id = SealPlace['id'];

export const CASES = 'cases';

/** AAD field names of a case's sealed values. */
export const caseField = {
  complainant: (f: 'name' | 'idNumber' | 'phone' | 'address') => `complainant.${f}`,
  description: 'description',
  demandText: (i: number) => `business.demands.${i}.text`,
  timelineNote: (at: Date) => `timeline.note@${at.toISOString()}`,
  pauseNote: 'pauseNote',
  pauseEntryNote: (from: string) => `pauses.note@${from}`,
  transferReason: (at: Date) => `transfers.reason@${at.toISOString()}`,
  feedbackText: 'feedback.text',
  /** The message of an outbox entry: it can quote a staff note. */
  deliveryData: (key: string) => `deliveries.${key}.data`,
} as const;

export const casePlace = (id: Id, field: string): SealPlace => ({ collection: CASES, field, id });

export const sealCaseValue = (pii: Pii, id: Id, field: string, text: string) => pii.seal(text, casePlace(id, field));

/**
 * Opens a free-text value of a case. Text stored before these fields were sealed is shown as
 * stored until the key rotation seals it; a value of sealed shape must open where it is.
 */
export function openCaseText(pii: Pii, id: Id, field: string, value: string): string {
  return looksSealed(value) ? pii.open(value, casePlace(id, field)) : value;
}

type Maybe<T> = T | null | undefined;

/** The parts of a case that hold free text, as the model stores them. */
export interface CaseText {
  _id: Id;
  description?: Maybe<string>;
  business?: Maybe<{ demands: Array<{ type: string; text?: Maybe<string> }> }>;
  timeline?: Maybe<Array<{ at: Date; note?: Maybe<string> }>>;
  pauseNote?: Maybe<string>;
  pauses?: Maybe<Array<{ from: string; note?: Maybe<string> }>>;
  transfers?: Maybe<Array<{ at: Date; reason: string }>>;
  feedback?: Maybe<{ text?: Maybe<string> }>;
}

/** Applies `f` to every free-text value of a case, giving a copy; fields that are absent stay absent. */
function mapText<T extends CaseText>(doc: T, f: (field: string, value: string) => string): T {
  const out: CaseText = { ...doc };
  if (doc.description) out.description = f(caseField.description, doc.description);
  if (doc.business?.demands) out.business = { ...doc.business, demands: doc.business.demands.map((d, i) => (d.text ? { ...d, text: f(caseField.demandText(i), d.text) } : d)) };
  if (doc.timeline) out.timeline = doc.timeline.map((t) => (t.note ? { ...t, note: f(caseField.timelineNote(t.at), t.note) } : t));
  if (doc.pauseNote) out.pauseNote = f(caseField.pauseNote, doc.pauseNote);
  if (doc.pauses) out.pauses = doc.pauses.map((p) => (p.note ? { ...p, note: f(caseField.pauseEntryNote(p.from), p.note) } : p));
  if (doc.transfers) out.transfers = doc.transfers.map((t) => (t.reason ? { ...t, reason: f(caseField.transferReason(t.at), t.reason) } : t));
  if (doc.feedback?.text) out.feedback = { ...doc.feedback, text: f(caseField.feedbackText, doc.feedback.text) };
  return out as T;
}

/** A case with its free text opened, for the views of the consumer and of staff. */
export const openCase = <T extends CaseText>(pii: Pii, doc: T): T => mapText(doc, (field, value) => openCaseText(pii, doc._id, field, value));

/** A case written whole (the seed) with its free text sealed. */
export const sealCase = <T extends CaseText>(pii: Pii, doc: T): T => mapText(doc, (field, value) => sealCaseValue(pii, doc._id, field, value));

/** One sealed value of a stored case: its update path, its AAD field, and whether it may be text stored before sealing. */
export interface SealedEntry {
  path: string;
  field: string;
  value: string;
  maybePlain: boolean;
}

const COMPLAINANT_FIELDS = ['name', 'idNumber', 'phone', 'address'] as const;

/** Every sealed value of a stored case, for the key rotation. */
export function caseSealedEntries(
  doc: CaseText & { complainant?: Maybe<Partial<Record<string, Maybe<string>>>>; deliveries?: Maybe<Record<string, { data?: unknown }>> },
): SealedEntry[] {
  const out: SealedEntry[] = [];
  for (const f of COMPLAINANT_FIELDS) {
    const value = doc.complainant?.[`${f}Sealed`];
    if (value) out.push({ path: `complainant.${f}Sealed`, field: caseField.complainant(f), value, maybePlain: false });
  }
  const text = (path: string, field: string, value: Maybe<string>) => {
    if (value) out.push({ path, field, value, maybePlain: true });
  };
  text('description', caseField.description, doc.description);
  doc.business?.demands?.forEach((d, i) => text(`business.demands.${i}.text`, caseField.demandText(i), d.text));
  doc.timeline?.forEach((t, i) => text(`timeline.${i}.note`, caseField.timelineNote(t.at), t.note));
  text('pauseNote', caseField.pauseNote, doc.pauseNote);
  doc.pauses?.forEach((p, i) => text(`pauses.${i}.note`, caseField.pauseEntryNote(p.from), p.note));
  doc.transfers?.forEach((t, i) => text(`transfers.${i}.reason`, caseField.transferReason(t.at), t.reason));
  text('feedback.text', caseField.feedbackText, doc.feedback?.text);
  // Entries written before their data was sealed hold an object; those stay as they are (sent or soon sent).
  for (const [key, d] of Object.entries(doc.deliveries ?? {})) {
    if (typeof d.data === 'string') out.push({ path: `deliveries.${key}.data`, field: caseField.deliveryData(key), value: d.data, maybePlain: false });
  }
  return out;
}
