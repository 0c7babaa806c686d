import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const categorySchema = new Schema(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    parent: { type: String, default: null },
    treeVersion: { type: String, required: true },
    /** Which tree the node belongs to: what was bought, or what went wrong. */
    tree: { type: String, enum: ['category', 'problem_type'], default: 'category' },
  },
  { strict: 'throw' },
);
categorySchema.index({ code: 1 }, { unique: true });

export type Category = InferSchemaType<typeof categorySchema>;
export const categoryModel = (conn: Connection): Model<Category> =>
  conn.models.Category ?? conn.model('Category', categorySchema);
