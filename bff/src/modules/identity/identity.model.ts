/**
 * One document per verified person, found by the blind index of the ID number. Name and number are
 * sealed (the key id travels inside each sealed value, so keys can rotate); the plaintext is never stored.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { ACCOUNT_EVENT_ACTIONS } from '../../../../shared/api/identity';

const accountSchema = new Schema(
  {
    userId: { type: String, required: true },
    platform: { type: String, enum: ['wechat', 'alipay'], required: true },
    verifiedAt: { type: Date, required: true },
    /** The separate consent (单独同意) to process the ID number, given with this verification. */
    consent: {
      type: new Schema({ at: { type: Date, required: true }, version: { type: String, required: true } }, { _id: false }),
      required: true,
    },
  },
  { _id: false },
);

/** One change to the person's accounts (no personal data): shown to them on 我的. */
const eventSchema = new Schema(
  {
    at: { type: Date, required: true },
    platform: { type: String, enum: ['wechat', 'alipay'], required: true },
    action: { type: String, enum: ACCOUNT_EVENT_ACTIONS, required: true },
    method: { type: String, enum: ['code', 'phone'] },
  },
  { _id: false },
);
/** Events kept per person: the newest ones; older ones drop off. */
export const ACCOUNT_EVENTS_KEPT = 50;

const identitySchema = new Schema(
  {
    idIndex: { type: String, required: true },
    name: { type: String, required: true },
    idNumber: { type: String, required: true },
    /** At most one account per platform: the same person on WeChat and on Alipay. */
    accounts: { type: [accountSchema], default: [] },
    /**
     * Accounts proven to be in the same person's hands (a link code from one entered in the other,
     * or the same platform-vouched phone on both): they all see the same cases. Empty or all linked.
     */
    linkedUserIds: { type: [String], default: [] },
    events: { type: [eventSchema], default: [] },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, strict: 'throw' },
);
identitySchema.index({ idIndex: 1 }, { unique: true });
identitySchema.index({ linkedUserIds: 1 });

export type Identity = InferSchemaType<typeof identitySchema>;
export const identityModel = (conn: Connection): Model<Identity> => conn.models.Identity ?? conn.model('Identity', identitySchema);
