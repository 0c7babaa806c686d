import type { z } from 'zod';

export type FieldErrors = Record<string, string>;

export type Validated<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Parses form input with a shared schema and keeps the first message per field for inline display. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  // zod's fast path compiles code with new Function, which mini program runtimes do not allow.
  const result = schema.safeParse(input, { jitless: true });
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!(field in errors)) errors[field] = issue.message;
  }
  return { ok: false, errors };
}
