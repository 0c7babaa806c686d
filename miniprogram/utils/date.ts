const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "2025-09-26T02:00:00.000Z" -> "2025-09-26" in the device's time zone. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
