/** Browser preview: Taro's H5 chooseImage and chooseVideo open the browser's file dialog. */
import Taro from '@tarojs/taro';
import type { PickedFile } from './types';
import { cancelled } from './media-cancel';

export async function chooseEvidence(kind: 'image' | 'video', count: number): Promise<PickedFile[]> {
  try {
    if (kind === 'video') {
      const v = await Taro.chooseVideo({ sourceType: ['album'] });
      return [{ path: v.tempFilePath, size: v.size, kind }];
    }
    const res = await Taro.chooseImage({ count, sourceType: ['album'] });
    return res.tempFiles.map((f) => ({ path: f.path, size: f.size, kind }));
  } catch (err) {
    if (cancelled(err)) return [];
    throw err;
  }
}
