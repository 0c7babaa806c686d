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

export const CAN_PICK_DOCUMENTS = true;

/** The browser's file dialog for PDF files; the object URLs upload like the image picker's. */
export function chooseDocuments(count: number): Promise<PickedFile[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'application/pdf,.pdf';
    input.multiple = count > 1;
    input.style.display = 'none';
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? []).slice(0, count);
      input.remove();
      resolve(files.map((f) => ({ path: URL.createObjectURL(f), size: f.size, kind: 'pdf' as const })));
    });
    input.addEventListener('cancel', () => {
      input.remove();
      resolve([]);
    });
    document.body.appendChild(input);
    input.click();
  });
}
