/** Staff accounts and bureaus, managed by admins; every change is audited. */
import mongoose from 'mongoose';
import type { z } from 'zod';
import type { Deps } from '../../context';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../http/errors';
import * as audit from '../audit/audit.service';
import { requireRole } from './access';
import { requireCounty } from '../regions/regions.service';
import { clearLoginFailures, endSessions, hashPassword, type Role, type StaffSession } from './staff.service';
import type { bureauCreateBody, bureauUpdateBody, staffCreateBody, staffUpdateBody } from '../../../../shared/api/admin';


export async function listBureaus(deps: Deps) {
  const items = await deps.models.Bureau.find({}).sort({ code: 1 }).lean();
  return { items: items.map((b) => ({ code: b.code, name: b.name, regionCode: b.regionCode })) };
}

export async function createBureau(deps: Deps, staff: StaffSession, body: z.infer<typeof bureauCreateBody>) {
  requireRole(staff, ['admin']);
  requireCounty(body.regionCode);
  try {
    await deps.models.Bureau.create(body);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError(409, 'BUREAU_EXISTS', '该机构代码已存在');
    throw err;
  }
  await audit.record(deps, staff, { action: 'bureau_create', target: body.code, detail: body.name });
  return body;
}

export async function updateBureau(deps: Deps, staff: StaffSession, code: string, body: z.infer<typeof bureauUpdateBody>) {
  requireRole(staff, ['admin']);
  const updated = await deps.models.Bureau.findOneAndUpdate({ code }, { $set: { name: body.name } }, { returnDocument: 'after' }).lean();
  if (!updated) throw new AppError(404, 'NOT_FOUND', '机构不存在');
  await audit.record(deps, staff, { action: 'bureau_update', target: code, detail: body.name });
  return { code: updated.code, name: updated.name, regionCode: updated.regionCode };
}

type StaffDoc = {
  _id: mongoose.Types.ObjectId;
  username: string;
  displayName: string;
  role: string;
  bureauCode: string;
  regionPrefix: string;
  active?: boolean | null;
  lockedUntil?: Date | null;
};

function accountView(s: StaffDoc) {
  return {
    id: String(s._id),
    username: s.username,
    displayName: s.displayName,
    role: s.role as Role,
    bureauCode: s.bureauCode,
    regionPrefix: s.regionPrefix,
    active: s.active !== false,
    locked: !!s.lockedUntil && s.lockedUntil > new Date(),
  };
}

export async function listStaff(deps: Deps, staff: StaffSession) {
  requireRole(staff, ['admin']);
  const items = await deps.models.Staff.find({}).sort({ username: 1 }).lean<StaffDoc[]>();
  return { items: items.map(accountView) };
}

/**
 * The region a role's scope covers: a handler's is its bureau's region, a supervisor names one
 * (it must contain the bureau), an admin's is everything.
 */
async function scopeFor(deps: Deps, role: Role, bureauCode: string, regionPrefix: string | undefined): Promise<string> {
  const bureau = await deps.models.Bureau.findOne({ code: bureauCode }).lean();
  if (!bureau) throw new AppError(400, 'BUREAU_UNKNOWN', '所属机构不存在', [{ path: 'bureauCode', message: '所属机构不存在' }]);
  if (role === 'admin') return '';
  if (role === 'handler') return bureau.regionCode;
  if (!regionPrefix) throw new AppError(400, 'VALIDATION_FAILED', '请填写监管主管的辖区代码', [{ path: 'regionPrefix', message: '请填写辖区代码' }]);
  if (!bureau.regionCode.startsWith(regionPrefix)) {
    throw new AppError(400, 'REGION_MISMATCH', '辖区必须包含其所属机构', [{ path: 'regionPrefix', message: '辖区必须包含其所属机构' }]);
  }
  return regionPrefix;
}

export async function createStaff(deps: Deps, staff: StaffSession, body: z.infer<typeof staffCreateBody>) {
  requireRole(staff, ['admin']);
  const regionPrefix = await scopeFor(deps, body.role, body.bureauCode, body.regionPrefix);
  try {
    const created = await deps.models.Staff.create({
      username: body.username,
      displayName: body.displayName,
      role: body.role,
      bureauCode: body.bureauCode,
      regionPrefix,
      passwordHash: await hashPassword(body.password),
    });
    await audit.record(deps, staff, { action: 'staff_create', target: body.username, detail: `${body.role}@${body.bureauCode}` });
    return accountView(created.toObject() as StaffDoc);
  } catch (err) {
    if (isDuplicateKey(err)) throw new AppError(409, 'USERNAME_TAKEN', '用户名已被使用');
    throw err;
  }
}

export async function updateStaff(deps: Deps, staff: StaffSession, id: string, body: z.infer<typeof staffUpdateBody>) {
  requireRole(staff, ['admin']);
  if (!mongoose.isValidObjectId(id)) throw new AppError(404, 'NOT_FOUND', '工作人员不存在');
  const current = await deps.models.Staff.findById(id).lean<StaffDoc>();
  if (!current) throw new AppError(404, 'NOT_FOUND', '工作人员不存在');
  if (String(current._id) === staff.staffId && (body.active === false || (body.role && body.role !== 'admin'))) {
    throw new AppError(400, 'SELF_LOCKOUT', '不能停用自己的账号或取消自己的管理员角色');
  }
  const role = body.role ?? (current.role as Role);
  const bureauCode = body.bureauCode ?? current.bureauCode;
  const scopeChanged = body.role !== undefined || body.bureauCode !== undefined || body.regionPrefix !== undefined;
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, 1> = {};
  if (scopeChanged) {
    Object.assign($set, { role, bureauCode, regionPrefix: await scopeFor(deps, role, bureauCode, body.regionPrefix ?? current.regionPrefix) });
  }
  if (body.displayName) $set.displayName = body.displayName;
  if (body.active !== undefined) $set.active = body.active;
  if (body.password) $set.passwordHash = await hashPassword(body.password);
  if (body.unlock) $unset.lockedUntil = 1;
  const updated = await deps.models.Staff.findByIdAndUpdate(id, { $set, ...(Object.keys($unset).length ? { $unset } : {}) }, { returnDocument: 'after' }).lean<StaffDoc>();
  if (!updated) throw new AppError(404, 'NOT_FOUND', '工作人员不存在');
  // A session carries the scope it was opened with; a changed account signs in again.
  if (scopeChanged || body.active === false || body.password) await endSessions(deps, id);
  if (body.unlock) await clearLoginFailures(deps, current.username);
  const changed = Object.keys(body).filter((k) => k !== 'password').concat(body.password ? ['password'] : []);
  await audit.record(deps, staff, { action: 'staff_update', target: current.username, detail: changed.join(',') });
  return accountView(updated);
}
