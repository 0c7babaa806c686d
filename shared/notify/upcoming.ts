/** Which messages a consent dialog should ask for: the events a case may send next, nearest first. */
import { TRANSITIONS, targetStatus, type NotifyEvent } from '../complaint/workflow';
import type { CaseType, ComplaintStatus } from '../complaint/status';

/** One dialog takes at most three one-time templates (WeChat tmplIds, Alipay entityIds). */
export const TEMPLATES_PER_DIALOG = 3;

/** Steps most cases never take: asked for only when the usual ones leave room in the dialog. */
const RARE: ReadonlySet<NotifyEvent> = new Set(['transferred']);

export function upcomingEvents(status: ComplaintStatus, max = TEMPLATES_PER_DIALOG, type: CaseType = 'complaint'): NotifyEvent[] {
  const events: NotifyEvent[] = [];
  const seen = new Set<ComplaintStatus>([status]);
  let frontier: ComplaintStatus[] = [status];
  while (frontier.length > 0) {
    const next: ComplaintStatus[] = [];
    for (const from of frontier) {
      for (const t of TRANSITIONS[type]) {
        if (!t.from.includes(from) || !t.notify) continue;
        if (!events.includes(t.notify)) events.push(t.notify);
        const to = targetStatus(t, from);
        if (!seen.has(to)) {
          seen.add(to);
          next.push(to);
        }
      }
    }
    frontier = next;
  }
  return [...events.filter((e) => !RARE.has(e)), ...events.filter((e) => RARE.has(e))].slice(0, max);
}
