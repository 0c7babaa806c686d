/**
 * Dates and times as shown to consumers: in Beijing time (UTC+8, no daylight saving), the time
 * the bureaus and their deadlines use, whatever the device's own time zone.
 */
const BEIJING_OFFSET_MS = 8 * 3600_000;

function beijingParts(iso: string): string | undefined {
  const t = new Date(iso).getTime();
  return Number.isNaN(t) ? undefined : new Date(t + BEIJING_OFFSET_MS).toISOString();
}

/** "2025-09-26T02:00:00.000Z" -> "2025-09-26"; a plain date is returned as it is. */
export function formatDate(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  return beijingParts(iso)?.slice(0, 10) ?? iso;
}

/** "2025-09-26T02:00:00.000Z" -> "2025-09-26 10:00" */
export function formatTime(iso: string): string {
  const s = beijingParts(iso);
  return s ? `${s.slice(0, 10)} ${s.slice(11, 16)}` : iso;
}
