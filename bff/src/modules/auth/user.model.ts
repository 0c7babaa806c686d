import { Schema, Types, type Connection, type InferSchemaType, type Model } from 'mongoose';

const userSchema = new Schema(
  {
    platform: { type: String, enum: ['wechat', 'alipay'], required: true },
    platformUserId: { type: String, required: true },
    unionId: { type: String },
    verified: { type: Boolean, default: false },
    /** The verified person (identities collection) behind this account, once real-name verification passed. */
    identityId: { type: Types.ObjectId },
    /** The number the platform vouched for: sealed, with a blind index for lookups; shown masked only. */
    phone: {
      type: new Schema({ sealed: { type: String, required: true }, index: { type: String, required: true }, at: { type: Date, required: true } }, { _id: false }),
    },
    lastLoginAt: { type: Date },
  },
  { timestamps: true, strict: 'throw' },
);
userSchema.index({ platform: 1, platformUserId: 1 }, { unique: true });
userSchema.index({ 'phone.index': 1 });

export type User = InferSchemaType<typeof userSchema>;
export const userModel = (conn: Connection): Model<User> => conn.models.User ?? conn.model('User', userSchema);
