/** Writes and reads the audit log; there is deliberately no update or delete. */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import type { StaffSession } from '../staff/staff.service';
import type { AuditAction } from './audit.model';
import { requireRole } from '../staff/access';

export interface AuditFacts {
  action: AuditAction;
  caseNumber?: string;
  field?: string;
  target?: string;
  detail?: string;
}

/** Who acted: a signed-in staff member, or for a failed sign-in the account tried (or '-' when there is none). */
export interface AuditActor {
  staffId: string;
  username: string;
  role: string;
}

export async function record(deps: Deps, staff: AuditActor, facts: AuditFacts): Promise<void> {
  await deps.models.AuditEntry.create({
    at: new Date(),
    staffId: staff.staffId,
    username: staff.username,
    role: staff.role,
    ...facts,
  });
}

export async function list(
  deps: Deps,
  staff: StaffSession,
  query: { action?: AuditAction; caseNumber?: string; username?: string; page: number; pageSize: number },
) {
  requireRole(staff, ['admin']);
  const filter: Record<string, unknown> = {};
  if (query.action) filter.action = query.action;
  if (query.caseNumber) filter.caseNumber = query.caseNumber;
  if (query.username) filter.username = query.username;
  const { AuditEntry } = deps.models;
  const [docs, total] = await Promise.all([
    AuditEntry.find(filter)
      .sort({ at: -1 })
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .lean<Array<{ _id: mongoose.Types.ObjectId } & Record<string, unknown>>>(),
    AuditEntry.countDocuments(filter),
  ]);
  return {
    items: docs.map((d) => ({
      id: String(d._id),
      at: (d.at as Date).toISOString(),
      username: d.username as string,
      role: d.role as string,
      action: d.action as string,
      ...(d.caseNumber ? { caseNumber: d.caseNumber as string } : {}),
      ...(d.field ? { field: d.field as string } : {}),
      ...(d.target ? { target: d.target as string } : {}),
      ...(d.detail ? { detail: d.detail as string } : {}),
    })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}
