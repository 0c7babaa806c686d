import { z } from './zod-zh';

export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

export const platformSchema = z.enum(['wechat', 'alipay']);
export type Platform = z.infer<typeof platformSchema>;

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
/** A real calendar date, not only the YYYY-MM-DD shape. */
export const calendarDate = isoDate.refine((d) => {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(d);
}, '日期不存在');

/** Control and invisible format characters (NUL, bidi overrides, zero-width joiners): never part of a name. */
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/** A name or title on one line: trimmed, within its length, no control or invisible characters. */
export const singleLine = (label: string, min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min, `${label}至少 ${min} 个字`)
    .max(max, `${label}不超过 ${max} 个字`)
    .refine((v) => !INVISIBLE.test(v), `${label}不能包含控制字符或不可见字符`);
