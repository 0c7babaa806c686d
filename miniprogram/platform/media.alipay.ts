/** Alipay: my.chooseImage and my.chooseVideo (no combined media picker). */
import Taro from '@tarojs/taro';
import type { PickedFile } from './types';
import { cancelled } from './media-cancel';

export async function chooseEvidence(kind: 'image' | 'video', count: number): Promise<PickedFile[]> {
  try {
    if (kind === 'video') {
      const v = await Taro.chooseVideo({ sourceType: ['album', 'camera'] });
      return [{ path: v.tempFilePath, size: v.size, kind }];
    }
    const res = await Taro.chooseImage({ count, sourceType: ['album', 'camera'] });
    return res.tempFilePaths.map((path, i) => ({ path, size: res.tempFiles?.[i]?.size ?? 0, kind }));
  } catch (err) {
    if (cancelled(err)) return [];
    throw err;
  }
}

/** Alipay mini programs offer no document picker; photos and videos only. */
export const CAN_PICK_DOCUMENTS = false;

export async function chooseDocuments(): Promise<PickedFile[]> {
  return [];
}
