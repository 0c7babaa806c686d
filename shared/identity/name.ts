/** A person's legal name as written on the resident ID card: Chinese characters, minority names joined by "·". */

const NAME = /^\p{Script=Han}+(?:·\p{Script=Han}+)*$/u;

export const NAME_MESSAGES = {
  empty: '请输入姓名',
  length: '姓名应为 2 至 30 个字',
  form: '姓名只能包含汉字，少数民族姓名中间用“·”分隔',
} as const;

/** Trims, and turns the look-alike dots phones offer (•, ・, ．, ., ‧) into the middle dot the card uses. */
export function normalizeName(value: string): string {
  return value.trim().replace(/[•・．.‧]/g, '·');
}

/** The first problem of an already normalised name, as a message for the person, or null when valid. */
export function nameProblem(value: string): string | null {
  if (value === '') return NAME_MESSAGES.empty;
  const length = Array.from(value).length;
  if (length < 2 || length > 30) return NAME_MESSAGES.length;
  if (!NAME.test(value)) return NAME_MESSAGES.form;
  return null;
}
