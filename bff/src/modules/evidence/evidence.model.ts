/**
 * Evidence records: one per uploaded file, chained per owner. Each record carries the hash of
 * the previous one in its chain, so altering or removing a record breaks every later link.
 */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { EVIDENCE_KINDS } from '../../../../shared/complaint/intake';

const evidenceSchema = new Schema(
  {
    ownerId: { type: String, required: true },
    chain: { type: String, required: true },
    seq: { type: Number, required: true },
    /** The bytes in the storage adapter (GridFS file id). */
    blobId: { type: String, required: true },
    contentType: { type: String, required: true },
    kind: { type: String, enum: EVIDENCE_KINDS, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
    /**
     * Set when the retention period ended: the bytes are deleted and the record keeps only its
     * place in the chain (chain, seq, prevHash, hash), so the records after it still verify.
     */
    erasedAt: { type: Date },
    /**
     * Until when an upload no case cites is kept (its upload, or the last save of a draft listing
     * it, plus UNFILED_UPLOAD_KEEP_DAYS); the retention job erases it after. Not part of the hash.
     */
    heldUntil: { type: Date },
  },
  { strict: 'throw', versionKey: false },
);
// Two uploads racing for the same place in a chain: one insert wins, the other retries.
evidenceSchema.index({ chain: 1, seq: 1 }, { unique: true });
evidenceSchema.index({ ownerId: 1 });
evidenceSchema.index({ heldUntil: 1 });

export type Evidence = InferSchemaType<typeof evidenceSchema>;
export const evidenceModel = (conn: Connection): Model<Evidence> => conn.models.Evidence ?? conn.model('Evidence', evidenceSchema);
