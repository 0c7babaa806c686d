// The build picks phone.weapp.ts, phone.alipay.ts or phone.h5.ts by TARO_ENV; the compiler sees this.
import type { ButtonProps } from '@tarojs/components';
import type { PhoneHandlers } from './types';

/** Props for a Taro Button that asks the platform for the user's phone number and hands over its grant. */
export declare function phoneButtonProps(handlers: PhoneHandlers): ButtonProps;
