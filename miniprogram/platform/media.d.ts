// The build picks media.weapp.ts, media.alipay.ts or media.h5.ts by TARO_ENV; the compiler sees this.
import type { PickedFile } from './types';

/** Opens the platform's picker for photos or a video; resolves with the chosen local files (none when cancelled). */
export declare function chooseEvidence(kind: 'image' | 'video', count: number): Promise<PickedFile[]>;

/** Whether this platform lets the consumer pick a document (PDF) at all. */
export declare const CAN_PICK_DOCUMENTS: boolean;

/** Opens the platform's document picker for PDF files; none when cancelled. */
export declare function chooseDocuments(count: number): Promise<PickedFile[]>;
