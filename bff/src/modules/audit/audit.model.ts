/** The audit log: append-only, one entry per staff action and per staff read of personal data. */
import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

export const AUDIT_ACTIONS = [
  'case_view',
  'reveal',
  'transition',
  'export',
  'staff_create',
  'staff_update',
  'bureau_create',
  'bureau_update',
  'hotspot_seen',
  // Reads and resends outside the case page, and refused password confirmations of a full export.
  'evidence_view',
  'delivery_resend',
  'export_reauth_failed',
  // Staff sign-in: successes, failures (wrong password, unknown name, locked) and lockouts.
  'staff_login',
  'staff_login_failed',
  'staff_locked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

const auditSchema = new Schema(
  {
    at: { type: Date, required: true },
    staffId: { type: String, required: true },
    username: { type: String, required: true },
    role: { type: String, required: true },
    action: { type: String, enum: AUDIT_ACTIONS, required: true },
    caseNumber: { type: String },
    field: { type: String },
    target: { type: String },
    detail: { type: String },
  },
  { strict: 'throw', versionKey: false },
);
auditSchema.index({ at: -1 });
auditSchema.index({ caseNumber: 1, at: -1 });

export type AuditEntry = InferSchemaType<typeof auditSchema>;
export const auditModel = (conn: Connection): Model<AuditEntry> => conn.models.AuditEntry ?? conn.model('AuditEntry', auditSchema);
