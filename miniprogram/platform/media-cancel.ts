/** Every platform rejects the picker's promise when the user backs out; that is no error to show. */
export function cancelled(err: unknown): boolean {
  const message = (err as { errMsg?: string; errorMessage?: string } | null)?.errMsg ?? (err as { errorMessage?: string } | null)?.errorMessage ?? '';
  return /cancel|取消/i.test(message) || (err as { error?: number } | null)?.error === 11;
}
