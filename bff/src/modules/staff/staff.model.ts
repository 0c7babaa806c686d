import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';
import { staffRoles } from '../../../../shared/api/admin';

const bureauSchema = new Schema(
  {
    code: { type: String, required: true },
    name: { type: String, required: true },
    regionCode: { type: String, required: true },
  },
  { timestamps: true, strict: 'throw' },
);
bureauSchema.index({ code: 1 }, { unique: true });

const staffSchema = new Schema(
  {
    username: { type: String, required: true },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true },
    role: { type: String, enum: staffRoles, required: true },
    bureauCode: { type: String, required: true },
    // Empty for admins, whose scope is everything.
    regionPrefix: { type: String, default: '' },
    // Until when the account is locked for everyone (shown to admins; the counts live in Redis).
    lockedUntil: { type: Date },
    active: { type: Boolean, default: true },
  },
  { timestamps: true, strict: 'throw' },
);
staffSchema.index({ username: 1 }, { unique: true });

export type Bureau = InferSchemaType<typeof bureauSchema>;
export type Staff = InferSchemaType<typeof staffSchema>;
export const bureauModel = (conn: Connection): Model<Bureau> => conn.models.Bureau ?? conn.model('Bureau', bureauSchema);
export const staffModel = (conn: Connection): Model<Staff> => conn.models.Staff ?? conn.model('Staff', staffSchema);
