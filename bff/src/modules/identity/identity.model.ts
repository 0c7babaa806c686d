/**
 * One document per verified person, found by the blind index of the ID number. Name and number are
 * sealed (the key id travels inside each sealed value, so keys can rotate); the plaintext is never stored.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

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

const identitySchema = new Schema(
  {
    idIndex: { type: String, required: true },
    name: { type: String, required: true },
    idNumber: { type: String, required: true },
    /** At most one account per platform: the same person on WeChat and on Alipay. */
    accounts: { type: [accountSchema], default: [] },
    /** Accounts the person confirmed as theirs: they all see the same cases. */
    linkedUserIds: { type: [String], default: [] },
    version: { type: Number, default: 0 },
  },
  { timestamps: true, strict: 'throw' },
);
identitySchema.index({ idIndex: 1 }, { unique: true });
identitySchema.index({ linkedUserIds: 1 });

export type Identity = InferSchemaType<typeof identitySchema>;
export const identityModel = (conn: Connection): Model<Identity> => conn.models.Identity ?? conn.model('Identity', identitySchema);
