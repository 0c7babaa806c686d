/** Role checks shared by the staff-side services. */
import { AppError } from '../../http/errors';
import type { Role, StaffSession } from './staff.service';

export function requireRole(staff: StaffSession, roles: readonly Role[]): void {
  if (!roles.includes(staff.role)) throw new AppError(403, 'ROLE_FORBIDDEN', '您的角色无权进行此操作');
}
