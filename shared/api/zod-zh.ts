/** Chinese validation messages for both ends: ours for the common cases, zod's zh-CN locale for the rest. */
import { z } from 'zod';
// A named import from the locales module lets the mini program bundle keep only this one.
import { zhCN } from 'zod/locales';

z.config(zhCN());
const fallback = z.config().localeError;

z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type') return issue.input === undefined ? '缺少必填项' : '格式不正确';
    if (issue.code === 'unrecognized_keys') return `包含不支持的字段：${issue.keys.join('、')}`;
    return undefined;
  },
  localeError: fallback,
});

export { z };
