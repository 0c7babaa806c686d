/** WeChat: wx.chooseMedia covers photos and videos from the album or the camera. */
import Taro from '@tarojs/taro';
import type { PickedFile } from './types';
import { cancelled } from './media-cancel';

export async function chooseEvidence(kind: 'image' | 'video', count: number): Promise<PickedFile[]> {
  try {
    const res = await Taro.chooseMedia({ count, mediaType: [kind], sourceType: ['album', 'camera'] });
    return res.tempFiles.map((f) => ({ path: f.tempFilePath, size: f.size, kind }));
  } catch (err) {
    if (cancelled(err)) return [];
    throw err;
  }
}

export const CAN_PICK_DOCUMENTS = true;

/** WeChat picks documents from a chat (wx.chooseMessageFile), the usual place a receipt or contract arrives. */
export async function chooseDocuments(count: number): Promise<PickedFile[]> {
  try {
    const res = await Taro.chooseMessageFile({ count, type: 'file', extension: ['pdf'] });
    return res.tempFiles.map((f) => ({ path: f.path, size: f.size, kind: 'pdf' as const }));
  } catch (err) {
    if (cancelled(err)) return [];
    throw err;
  }
}
