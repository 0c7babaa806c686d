/** Which messages a consent dialog should ask for: the events a case may send next, nearest first. */
import { COMPLAINT_TRANSITIONS, type NotifyEvent } from '../complaint/workflow';
import type { ComplaintStatus } from '../complaint/status';

/** One dialog takes at most three one-time templates (WeChat tmplIds, Alipay entityIds). */
export const TEMPLATES_PER_DIALOG = 3;

export function upcomingEvents(status: ComplaintStatus, max = TEMPLATES_PER_DIALOG): NotifyEvent[] {
  const events: NotifyEvent[] = [];
  const seen = new Set<ComplaintStatus>([status]);
  let frontier: ComplaintStatus[] = [status];
  while (frontier.length > 0 && events.length < max) {
    const next: ComplaintStatus[] = [];
    for (const from of frontier) {
      for (const t of COMPLAINT_TRANSITIONS) {
        if (!t.from.includes(from) || !t.notify) continue;
        if (!events.includes(t.notify)) events.push(t.notify);
        if (!seen.has(t.to)) {
          seen.add(t.to);
          next.push(t.to);
        }
      }
    }
    frontier = next;
  }
  return events.slice(0, max);
}
