import type { ButtonProps } from '@tarojs/components';
import { PHONE_DENIED, type PhoneHandlers } from './types';

/** WeChat: open-type getPhoneNumber yields a one-time code the server exchanges (getuserphonenumber). */
export function phoneButtonProps(handlers: PhoneHandlers): ButtonProps {
  return {
    openType: 'getPhoneNumber',
    onGetPhoneNumber: (event) => {
      const { code } = event.detail;
      if (code) handlers.onGrant(code);
      else handlers.onError(PHONE_DENIED);
    },
  };
}
