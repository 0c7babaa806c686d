/** One draft per user and form kind, saved as the user types and resumed on any device. */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { DRAFT_KINDS } from '../../../../shared/api/drafts';
import { DRAFT_KEEP_DAYS } from '../../../../shared/privacy/retention';

const draftSchema = new Schema(
  {
    userId: { type: String, required: true },
    kind: { type: String, enum: DRAFT_KINDS, required: true },
    /**
     * The form as typed (checked by the shared draft schema), sealed as a whole: it holds the
     * consumer's phone and address.
     */
    sealed: { type: String, required: true },
    version: { type: Number, required: true },
  },
  { timestamps: true, strict: 'throw', minimize: false },
);
draftSchema.index({ userId: 1, kind: 1 }, { unique: true });
/** A draft nobody touched for DRAFT_KEEP_DAYS is deleted by the database (a TTL index on the last save). */
export { DRAFT_KEEP_DAYS };
draftSchema.index({ updatedAt: 1 }, { expireAfterSeconds: DRAFT_KEEP_DAYS * 86_400 });

export type Draft = InferSchemaType<typeof draftSchema>;
export const draftModel = (conn: Connection): Model<Draft> => conn.models.Draft ?? conn.model('Draft', draftSchema);
