/// <reference types="@tarojs/taro" />

/** Origin of the BFF, fixed at build time by config/index.ts ("" means the page's own origin). */
declare const API_BASE: string;
