/** One-time subscription grants a consumer gave us, counted per platform and template. */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const grantSchema = new Schema(
  {
    userId: { type: String, required: true },
    platform: { type: String, required: true },
    templateId: { type: String, required: true },
    count: { type: Number, default: 0 },
  },
  { timestamps: true, strict: 'throw' },
);
grantSchema.index({ userId: 1, platform: 1, templateId: 1 }, { unique: true });

export type Grant = InferSchemaType<typeof grantSchema>;
export const grantModel = (conn: Connection): Model<Grant> => conn.models.Grant ?? conn.model('Grant', grantSchema);
