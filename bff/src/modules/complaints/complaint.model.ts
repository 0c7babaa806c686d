/** A case (投诉 or 举报): its state, its timeline and the deliveries (outbox) of its messages. */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { CASE_TYPES, COMPLAINT_STATUSES } from '../../../../shared/complaint/status';

const timelineSchema = new Schema(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
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
    respondent: { type: new Schema({ name: { type: String, required: true } }, { _id: false }), required: true },
    description: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    deadlines: {
      acceptBy: { type: String },
      mediationBy: { type: String },
    },
    timeline: { type: [timelineSchema], default: [] },
    // Keyed by delivery key so one update can add or settle an entry without positional operators.
    deliveries: { type: Map, of: deliverySchema, default: {} },
    outboxPending: { type: Number, default: 0 },
    // Entries given up on after every retry, so staff find them without scanning every case.
    outboxDead: { type: Number, default: 0 },
  },
  { timestamps: true, strict: 'throw' },
);
caseSchema.index({ number: 1 }, { unique: true });
caseSchema.index({ 'owner.userId': 1, idempotencyKey: 1 }, { unique: true });
caseSchema.index({ 'owner.userId': 1, receivedAt: -1 });
caseSchema.index({ bureauCode: 1, status: 1, receivedAt: -1 });
caseSchema.index({ outboxPending: 1 });
caseSchema.index({ outboxDead: 1 });

export type Case = InferSchemaType<typeof caseSchema>;
export type Delivery = InferSchemaType<typeof deliverySchema>;
export const caseModel = (conn: Connection): Model<Case> => conn.models.Case ?? conn.model('Case', caseSchema);

const counterSchema = new Schema({ _id: String, seq: { type: Number, default: 0 } }, { versionKey: false });
export const counterModel = (conn: Connection) => conn.models.Counter ?? conn.model('Counter', counterSchema);
