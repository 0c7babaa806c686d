import type { Context, Middleware } from 'koa';
import multer from '@koa/multer';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import { requireConsumer } from '../../http/consumer-auth';
import { requireStaff } from '../../http/staff-auth';
import { limiter, perAddress, perUser } from '../../http/rate-limit';
import { scopeFilter } from '../handling/handling.service';
import { EVIDENCE_TYPES, EVIDENCE_UPLOAD_MAX_BYTES } from '../../../../shared/complaint/intake';
import { fileIdParam, uploadReply } from '../../../../shared/api/uploads';
import * as evidence from './evidence.service';

const MB = 1024 * 1024;

/** Room a multipart body needs beyond its file: boundaries and the part's headers. */
const ENVELOPE_BYTES = 16 * 1024;
const tooLarge = () => new AppError(413, 'EVIDENCE_TOO_LARGE', `文件不能超过 ${EVIDENCE_UPLOAD_MAX_BYTES / MB} MB`);

/**
 * The uploader's daily byte quota, settled before the body is read: the declared length (or the
 * largest allowed, when none is declared) is reserved at once, so parallel uploads cannot overrun
 * it, and what the file did not use is given back afterwards. An upload over the quota is refused
 * unread; a refused reservation costs nothing.
 */
function byteQuota(deps: Deps): Middleware {
  const bytes = limiter(deps, 'upload-bytes-user', deps.config.limits.uploadBytesUser);
  return async (ctx, next) => {
    const declared = Number(ctx.get('content-length'));
    if (declared > EVIDENCE_UPLOAD_MAX_BYTES + ENVELOPE_BYTES) throw tooLarge();
    const reserved = declared > 0 ? declared : EVIDENCE_UPLOAD_MAX_BYTES + ENVELOPE_BYTES;
    const user = ctx.state.user.id as string;
    try {
      await bytes.consume(user, reserved);
    } catch (err) {
      await bytes.refund(user, reserved);
      throw err;
    }
    ctx.state.uploadMaxBytes = Math.min(EVIDENCE_UPLOAD_MAX_BYTES, reserved);
    try {
      await next();
    } finally {
      // A file that was read counts, kept or refused for its type; a body never read costs nothing.
      await bytes.refund(user, reserved - ((ctx.request as { file?: { size?: number } }).file?.size ?? 0));
    }
  };
}

/** One file per request, held in memory up to what the quota reserved for it; multer's errors become ours. */
function singleFile(): Middleware {
  return async (ctx, next) => {
    if (!ctx.is('multipart/form-data')) throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件');
    const maxBytes = (ctx.state.uploadMaxBytes as number | undefined) ?? EVIDENCE_UPLOAD_MAX_BYTES;
    const parse = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: maxBytes, files: 1, fields: 0, parts: 1 },
    }).single('file');
    try {
      await parse(ctx, async () => undefined);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') throw tooLarge();
      throw new AppError(400, 'UPLOAD_INVALID', '上传内容有误：每次只能上传一个名为 file 的文件');
    }
    await next();
  };
}

function sendFile(ctx: Context, file: { contentType: string; bytes: Buffer }) {
  ctx.type = file.contentType;
  ctx.set('Content-Disposition', 'inline');
  // A file is shown, never run: no scripts even if a viewer were tricked into rendering it as a page.
  ctx.set('Content-Security-Policy', "default-src 'none'; sandbox");
  ctx.set('Cache-Control', 'private, no-store');
  return file.bytes;
}

export function evidenceRoutes(api: Api, deps: Deps): void {
  api.route(
    {
      method: 'post',
      path: '/uploads',
      tag: 'evidence',
      summary: '上传证据（图片、视频、PDF；类型以文件内容为准）',
      security: 'bearer',
      response: uploadReply,
      status: 201,
      errors: [400, 413, 415, 429],
      // Signed in, within the counts and the byte quota, before a byte of the body is read.
      middleware: [
        requireConsumer(deps),
        perAddress(deps, 'upload-ip', deps.config.limits.uploadIp),
        perUser(deps, 'upload-user', deps.config.limits.uploadUser),
        byteQuota(deps),
        singleFile(),
      ],
    },
    ({ ctx }) => {
      const file = (ctx.request as { file?: { buffer: Buffer } }).file;
      if (!file) throw new AppError(400, 'FILE_REQUIRED', '请选择要上传的文件');
      return evidence.receiveEvidence(deps, ctx.state.user.id, file.buffer);
    },
  );
  api.route(
    {
      method: 'get',
      path: '/uploads/:fileId',
      tag: 'evidence',
      summary: '查看本人上传的证据',
      security: 'bearer',
      params: fileIdParam,
      produces: Object.keys(EVIDENCE_TYPES),
      errors: [404],
      middleware: [requireConsumer(deps)],
    },
    async ({ params, ctx }) => sendFile(ctx, await evidence.fileForOwner(deps, ctx.state.user.id, params.fileId)),
  );
  api.route(
    {
      method: 'get',
      path: '/admin/evidence/:fileId',
      tag: 'evidence',
      summary: '查看本辖区案件的证据（附完整性校验结果；记入审计日志）',
      security: 'staffCookie',
      params: fileIdParam,
      produces: Object.keys(EVIDENCE_TYPES),
      errors: [403, 404],
      middleware: [requireStaff(deps)],
    },
    async ({ params, ctx }) => {
      const file = await evidence.fileForStaff(deps, ctx.state.staff, await scopeFilter(deps, ctx.state.staff), params.fileId);
      ctx.set('X-Evidence-Intact', String(file.intact && file.chainIntact));
      return sendFile(ctx, file);
    },
  );
}
