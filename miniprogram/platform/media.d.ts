// The build picks media.weapp.ts, media.alipay.ts or media.h5.ts by TARO_ENV; the compiler sees this.
import type { PickedFile } from './types';

/** Opens the platform's picker for photos or a video; resolves with the chosen local files (none when cancelled). */
export declare function chooseEvidence(kind: 'image' | 'video', count: number): Promise<PickedFile[]>;
