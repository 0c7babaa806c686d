/** Chinese validation messages for both ends: ours for the common cases, zod's zh-CN locale for the rest. */
import { z } from 'zod';
// One locale only: importing z.locales would put every language into the mini program bundle.
import zhCN from 'zod/v4/locales/zh-CN.js';

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
