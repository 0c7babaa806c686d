/** A case (投诉 or 举报): its state, its timeline and the deliveries (outbox) of its messages. */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { CASE_TYPES, COMPLAINT_STATUSES } from '../../../../shared/complaint/status';
import { BUSINESS_KINDS, CHANNELS, DEMANDS, EVIDENCE_KINDS, JURISDICTION_BASES } from '../../../../shared/complaint/intake';

const timelineSchema = new Schema(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    // For staff steps, the staff member's role and bureau at the time: what the consumer is shown instead of the account.
    role: { type: String },
    bureauCode: { type: String },
    action: { type: String, required: true },
    from: { type: String, default: null },
    to: { type: String, required: true },
    note: { type: String },
  },
  { _id: false },
);

const deliverySchema = new Schema(
  {
    key: { type: String, required: true },
    event: { type: String, required: true },
    platform: { type: String, required: true },
    templateId: { type: String, required: true },
    touser: { type: String, required: true },
    userId: { type: String, required: true },
    page: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    status: { type: String, enum: ['pending', 'queued', 'sending', 'sent', 'skipped', 'rejected', 'dead'], required: true },
    attempts: { type: Number, default: 0 },
    // Set once the consumer's one-time grant was spent for this entry, so retries do not spend another.
    grantSpent: { type: Boolean, default: false },
    createdAt: { type: Date, required: true },
    queuedAt: { type: Date },
    // Set when an attempt hands the message to the vendor; an entry left 'sending' may or may not have arrived.
    sendingAt: { type: Date },
    doneAt: { type: Date },
    error: { type: String },
    // Times staff sent a dead entry again; part of the queue job id so the new job is not taken for the old one.
    resends: { type: Number, default: 0 },
  },
  { _id: false },
);

const SUB = { _id: false } as const;

const respondentSchema = new Schema({
  name: { type: String, required: true },
  /** The name normalised (NFKC, no spaces, lower case) for duplicate detection. */
  nameKey: { type: String },
  /** Characters and character pairs of the normalised name, for the staff keyword search (shared/complaint/search-terms.ts). */
  terms: { type: [String], default: undefined },
  creditCode: { type: String },
  address: { type: String },
  regionCode: { type: String },
  domicileRegionCode: { type: String },
  platform: { type: new Schema({ name: { type: String, required: true }, regionCode: { type: String, required: true } }, SUB) },
}, SUB);

/** The complainant's contact details at filing: sealed at rest, masked for display; absent for anonymous reports. */
const complainantSchema = new Schema({
  nameSealed: { type: String },
  idNumberSealed: { type: String },
  phoneSealed: { type: String },
  addressSealed: { type: String },
  nameMasked: { type: String },
  phoneMasked: { type: String },
  addressMasked: { type: String },
}, SUB);

const businessSchema = new Schema({
  kind: { type: String, enum: BUSINESS_KINDS, required: true },
  categoryCode: { type: String, required: true },
  problemTypeCode: { type: String, required: true },
  categoryTreeVersion: { type: String, required: true },
  channel: { type: String, enum: CHANNELS, required: true },
  productName: { type: String, required: true },
  amountCents: { type: Number, required: true },
  occurredOn: { type: String, required: true },
  demands: { type: [new Schema({ type: { type: String, enum: DEMANDS, required: true }, text: { type: String } }, SUB)], default: [] },
}, SUB);

const evidenceRefSchema = new Schema({
  fileId: { type: String, required: true },
  kind: { type: String, enum: EVIDENCE_KINDS, required: true },
  sha256: { type: String, required: true },
  size: { type: Number, required: true },
}, SUB);

const jurisdictionSchema = new Schema({
  basis: { type: String, enum: JURISDICTION_BASES, required: true },
  regionCode: { type: String, required: true },
  bureauCode: { type: String, required: true },
  bureauName: { type: String, required: true },
  fallback: { type: Boolean, required: true },
}, SUB);

/** Why staff should look at the text first: a word-list hit or the platform's content check. */
const flagSchema = new Schema({
  source: { type: String, enum: ['wordlist', 'wechat'], required: true },
  verdict: { type: String, required: true },
  label: { type: Number },
  words: { type: [String], default: undefined },
  at: { type: Date, required: true },
}, SUB);

const pauseSchema = new Schema(
  { from: { type: String, required: true }, to: { type: String, required: true }, workingDays: { type: Number, required: true }, note: { type: String } },
  { _id: false },
);

const transferSchema = new Schema(
  {
    at: { type: Date, required: true },
    kind: { type: String, enum: ['transfer', 'reassign'], required: true },
    fromBureau: { type: String, required: true },
    toBureau: { type: String, required: true },
    reasonCode: { type: String },
    reason: { type: String, required: true },
    by: { type: String, required: true },
  },
  { _id: false },
);

const feedbackSchema = new Schema(
  { satisfied: { type: Boolean, required: true }, text: { type: String }, at: { type: Date, required: true } },
  { _id: false },
);

const caseSchema = new Schema(
  {
    number: { type: String, required: true },
    type: { type: String, enum: CASE_TYPES, required: true },
    status: { type: String, enum: COMPLAINT_STATUSES, required: true },
    version: { type: Number, required: true, default: 0 },
    bureauCode: { type: String, required: true },
    owner: {
      type: new Schema(
        { userId: { type: String, required: true }, platform: { type: String, required: true } },
        { _id: false },
      ),
      required: true,
    },
    idempotencyKey: { type: String, required: true },
    respondent: { type: respondentSchema, required: true },
    complainant: { type: complainantSchema },
    anonymous: { type: Boolean, default: false },
    business: { type: businessSchema },
    // Sealed at rest, like every free text of a case (demand texts, notes, reasons, feedback, message data): case-seal.ts.
    description: { type: String, required: true },
    evidence: { type: [evidenceRefSchema], default: [] },
    jurisdiction: { type: jurisdictionSchema },
    flags: { type: [flagSchema], default: [] },
    flagged: { type: Boolean, default: false },
    /** The open case of the same person against the same respondent that this one was filed beside. */
    duplicateOf: { type: String },
    /** Numbers of cases linked to this one as duplicates, both ways. */
    linkedCases: { type: [String], default: [] },
    receivedAt: { type: Date, required: true },
    deadlines: {
      acceptBy: { type: String },
      mediationBy: { type: String },
      decideBy: { type: String },
      informBy: { type: String },
    },
    timeline: { type: [timelineSchema], default: [] },
    // Keyed by delivery key so one update can add or settle an entry without positional operators.
    deliveries: { type: Map, of: deliverySchema, default: {} },
    outboxPending: { type: Number, default: 0 },

    // --- Handling (bureau work on the case) ---
    // Set while a testing period stops the mediation clock; the date it stopped.
    pausedOn: { type: String },
    pauseNote: { type: String },
    pauses: { type: [pauseSchema], default: [] },
    transfers: { type: [transferSchema], default: [] },
    decidedAt: { type: Date },
    // Kept by each transition and by the deadline scanner, for the queue's filters and sorting.
    deadlineState: { type: String, enum: ['none', 'ok', 'due_soon', 'overdue'] },
    dueOn: { type: String },
    /** Set once a legal deadline of the case has passed with the step not done; it stays set. */
    wasOverdue: { type: Boolean },
    feedback: { type: feedbackSchema },
    // Entries given up on after every retry, so staff find them without scanning every case.
    outboxDead: { type: Number, default: 0 },
    /** When the personal data of this closed case was erased (retention ended, or the account was cancelled). */
    erasedAt: { type: Date },
  },
  { timestamps: true, strict: 'throw' },
);
// Every query the product makes is answered from one of these (tests/integration/query-plans.test.ts).
// Each index costs every write of a case, and on the embedded database (PostgreSQL + DocumentDB)
// every update of a case writes an entry into every index, changed or not, and a value shared by
// most cases (a flag at 0) makes all those writes meet in one place. So: no index another one's
// prefix already serves, and flags that are rarely set are indexed only where they are set.
caseSchema.index({ number: 1 }, { unique: true });
// Submission is idempotent per person and key; my complaints, newest first (also the duplicate check).
caseSchema.index({ 'owner.userId': 1, idempotencyKey: 1 }, { unique: true });
caseSchema.index({ 'owner.userId': 1, receivedAt: -1 });
// The staff queue and the export: a bureau's (or a region's bureaus') cases by status in receipt
// order; across bureaus by status (with the deadline scanner, which walks open cases); in receipt order.
caseSchema.index({ bureauCode: 1, status: 1, receivedAt: -1 });
caseSchema.index({ status: 1, dueOn: 1 });
caseSchema.index({ receivedAt: -1 });
// The overdue and due-soon filters: only the cases in that state have an entry.
caseSchema.index({ deadlineState: 1, bureauCode: 1 }, { name: 'overdue_by_bureau', partialFilterExpression: { deadlineState: 'overdue' } });
caseSchema.index({ bureauCode: 1, deadlineState: 1 }, { name: 'due_soon_by_bureau', partialFilterExpression: { deadlineState: 'due_soon' } });
// Respondent suggestions (a prefix of the name); the staff keyword search by respondent.
caseSchema.index({ 'respondent.name': 1 });
caseSchema.index({ 'respondent.terms': 1 });
caseSchema.index({ 'evidence.fileId': 1 });
// The retention job: closed cases not yet erased, by their last change (an erased case leaves the
// range it reads, so each run reads only what is due).
caseSchema.index({ status: 1, erasedAt: 1, updatedAt: 1 });
// The push relay takes cases with entries due; staff list the dead letters.
caseSchema.index({ outboxPending: 1 }, { name: 'outbox_due', partialFilterExpression: { outboxPending: { $gt: 0 } } });
caseSchema.index({ outboxDead: 1 }, { name: 'outbox_dead', partialFilterExpression: { outboxDead: { $gt: 0 } } });

export type Case = InferSchemaType<typeof caseSchema>;
export type Delivery = InferSchemaType<typeof deliverySchema>;
export const caseModel = (conn: Connection): Model<Case> => conn.models.Case ?? conn.model('Case', caseSchema);

const counterSchema = new Schema({ _id: String, seq: { type: Number, default: 0 } }, { versionKey: false });
export const counterModel = (conn: Connection) => conn.models.Counter ?? conn.model('Counter', counterSchema);
