import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const userSchema = new Schema(
  {
    platform: { type: String, enum: ['wechat', 'alipay'], required: true },
    platformUserId: { type: String, required: true },
    unionId: { type: String },
    verified: { type: Boolean, default: false },
    lastLoginAt: { type: Date },
  },
  { timestamps: true, strict: 'throw' },
);
userSchema.index({ platform: 1, platformUserId: 1 }, { unique: true });

export type User = InferSchemaType<typeof userSchema>;
export const userModel = (conn: Connection): Model<User> => conn.models.User ?? conn.model('User', userSchema);
