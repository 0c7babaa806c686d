import type { ButtonProps } from '@tarojs/components';
import { PHONE_DENIED, type PhoneHandlers } from './types';

interface AlipayPhoneApi {
  getPhoneNumber(options: { success(res: { response: unknown }): void; fail(): void }): void;
}
declare const my: AlipayPhoneApi;

/**
 * Alipay: open-type getAuthorize with scope phoneNumber, then my.getPhoneNumber, whose `response`
 * (signed and AES-encrypted by Alipay) goes to the server unopened.
 */
export function phoneButtonProps(handlers: PhoneHandlers): ButtonProps {
  return {
    openType: 'getAuthorize',
    scope: 'phoneNumber',
    onGetAuthorize: () => {
      my.getPhoneNumber({
        success: ({ response }) => handlers.onGrant(typeof response === 'string' ? response : JSON.stringify(response)),
        fail: () => handlers.onError(PHONE_DENIED),
      });
    },
    onError: () => handlers.onError(PHONE_DENIED),
  };
}
