import { z } from './zod-zh';
import { EVIDENCE_KINDS } from '../complaint/intake';

export const uploadReply = z.object({
  fileId: z.string(),
  kind: z.enum(EVIDENCE_KINDS),
  contentType: z.string(),
  size: z.number(),
  sha256: z.string(),
  receivedAt: z.string(),
});
export type UploadReply = z.infer<typeof uploadReply>;

export const fileIdParam = z.object({ fileId: z.string().regex(/^[a-f0-9]{24}$/, '文件标识无效') });
