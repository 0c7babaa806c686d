/** Browser preview: the sandbox plays the vendor's phone dialog for a fixed test number. */
import type { ButtonProps } from '@tarojs/components';
import { request } from '../services/api';
import type { PhoneHandlers } from './types';

const SANDBOX_PHONE = '13800138000';

export function phoneButtonProps(handlers: PhoneHandlers): ButtonProps {
  return {
    onClick: () => {
      request<{ code: string }>('/sandbox/phone', { method: 'POST', body: { phone: SANDBOX_PHONE } }).then(
        ({ code }) => handlers.onGrant(code),
        () => handlers.onError('模拟平台未能授权手机号'),
      );
    },
  };
}
