// The build picks login.weapp.ts, login.alipay.ts or login.h5.ts by TARO_ENV; the compiler sees this.
import type { LoginCode } from './types';

/** A single-use code for POST /auth/login, obtained without asking the user anything. */
export declare function getLoginCode(): Promise<LoginCode>;
