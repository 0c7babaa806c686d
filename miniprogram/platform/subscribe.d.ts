// The build picks subscribe.weapp.ts, subscribe.alipay.ts or subscribe.h5.ts by TARO_ENV; the compiler sees this.
import type { SubscribeResults } from './types';

/**
 * Opens the vendor's subscribe dialog for up to three templates. Call it first thing in a tap
 * handler, before any await, or the vendor refuses to show the dialog.
 */
export declare function requestSubscribe(templateIds: string[]): Promise<SubscribeResults>;
