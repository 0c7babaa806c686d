/**
 * Who took a step, as the consumer is told: the bureau and the role (北京市朝阳区市场监督管理局 ·
 * 承办人), never a staff account's username or id.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { ROLE_LABELS } from '../../../../shared/api/admin';

const STAFF = 'staff:';
const SOME_BUREAU = '市场监督管理部门';
const SOME_ROLE = '工作人员';

export interface ActorStep {
  actor: string;
  /** The role and bureau of the staff member at the step; absent on steps recorded before they were kept. */
  role?: string | null;
  bureauCode?: string | null;
}

/** The actor of a step in a consumer reply: 'consumer', or 'staff' without the account. */
export const publicActor = (actor: string) => (actor.startsWith(STAFF) ? 'staff' : actor);

/**
 * Reads what the consumer may be told of each staff step of a timeline (two small queries at
 * most) and gives a function from step to label; undefined for the consumer's own steps.
 */
export async function actorLabels(deps: Deps, steps: readonly ActorStep[]): Promise<(step: ActorStep) => string | undefined> {
  const staffSteps = steps.filter((s) => s.actor.startsWith(STAFF));
  // Older steps name only the account: its current role and bureau stand in.
  const unnamed = [...new Set(staffSteps.filter((s) => !s.role || !s.bureauCode).map((s) => s.actor.slice(STAFF.length)))];
  const accounts = unnamed.length
    ? await deps.models.Staff.find({ username: mongoose.trusted({ $in: unnamed }) }, { username: 1, role: 1, bureauCode: 1 }).lean()
    : [];
  const byUsername = new Map(accounts.map((a) => [a.username, { role: a.role, bureauCode: a.bureauCode }]));
  const whoOf = (s: ActorStep) => (s.role && s.bureauCode ? { role: s.role, bureauCode: s.bureauCode } : byUsername.get(s.actor.slice(STAFF.length)));
  const codes = [...new Set(staffSteps.map((s) => whoOf(s)?.bureauCode).filter((c): c is string => !!c))];
  const bureaus = codes.length ? await deps.models.Bureau.find({ code: mongoose.trusted({ $in: codes }) }, { code: 1, name: 1 }).lean() : [];
  const names = new Map(bureaus.map((b) => [b.code, b.name]));
  return (step) => {
    if (!step.actor.startsWith(STAFF)) return undefined;
    const who = whoOf(step);
    const bureau = (who && names.get(who.bureauCode)) || SOME_BUREAU;
    const role = (who && ROLE_LABELS[who.role as keyof typeof ROLE_LABELS]) || SOME_ROLE;
    return `${bureau} · ${role}`;
  };
}
