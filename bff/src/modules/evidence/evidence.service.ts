/**
 * Evidence intake: the type comes from the bytes (file-type), each kind has its size limit,
 * the SHA-256 (of the bytes as received) and the server's receive time are recorded, the bytes go
 * encrypted to the storage adapter (GridFS, see evidence.cipher.ts) and the record joins its
 * owner's hash chain.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose from 'mongoose';
import FileType from 'file-type';
import type { Deps } from '../../context';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../http/errors';
import { EVIDENCE_KIND_LABELS, EVIDENCE_MAX_BYTES, EVIDENCE_TYPES, type EvidenceKind } from '../../../../shared/complaint/intake';
import type { UploadReply } from '../../../../shared/api/uploads';
import { UNFILED_UPLOAD_KEEP_DAYS } from '../../../../shared/privacy/retention';
import type { Evidence } from './evidence.model';
import type { StaffSession } from '../staff/staff.service';
import * as audit from '../audit/audit.service';
import { decryptStream, encryptStream, newFileKey, openFileKey, type FileCipher } from './evidence.cipher';

export const GENESIS_HASH = '0'.repeat(64);
const MAX_CHAIN_RETRIES = 20;
const MB = 1024 * 1024;

type EvidenceDoc = Evidence & { _id: mongoose.Types.ObjectId };

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The hash of a record covers every field that says what was received, when and from whom. */
export function recordHash(r: Pick<Evidence, 'chain' | 'seq' | 'ownerId' | 'blobId' | 'contentType' | 'kind' | 'size' | 'sha256' | 'receivedAt' | 'prevHash'>): string {
  return sha256(
    JSON.stringify([r.chain, r.seq, r.ownerId, r.blobId, r.contentType, r.kind, r.size, r.sha256, r.receivedAt.toISOString(), r.prevHash]),
  );
}

const bucket = (deps: Deps) => new mongoose.mongo.GridFSBucket(deps.conn.db!, { bucketName: 'evidence' });

async function storeBytes(deps: Deps, bytes: Buffer, meta: { ownerId: string; contentType: string }): Promise<string> {
  // The file's id is chosen first: its data key and every segment are bound to it.
  const blobId = new mongoose.Types.ObjectId();
  const { key, cipher } = newFileKey(deps.pii, blobId);
  const upload = bucket(deps).openUploadStreamWithId(blobId, meta.contentType.replace('/', '.'), { metadata: { ...meta, cipher } });
  await pipeline(Readable.from([bytes]), encryptStream(key, blobId.toString()), upload);
  return blobId.toString();
}

async function readBytes(deps: Deps, blobId: string): Promise<Buffer> {
  const id = new mongoose.Types.ObjectId(blobId);
  const stored = await bucket(deps).find({ _id: id }).next();
  const cipher = (stored?.metadata as { cipher?: FileCipher } | undefined)?.cipher;
  const download = bucket(deps).openDownloadStream(id);
  const chunks: Buffer[] = [];
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  };
  // Files stored before evidence was encrypted are read as they are.
  if (cipher) await pipeline(download, decryptStream(openFileKey(deps.pii, blobId, cipher), blobId), collect);
  else await pipeline(download, collect);
  return Buffer.concat(chunks);
}

export async function receiveEvidence(deps: Deps, ownerId: string, bytes: Buffer): Promise<UploadReply> {
  const detected = await FileType.fromBuffer(bytes);
  const kind: EvidenceKind | undefined = detected ? EVIDENCE_TYPES[detected.mime] : undefined;
  if (!detected || !kind) {
    throw new AppError(415, 'EVIDENCE_TYPE_REFUSED', '仅支持图片（JPG、PNG、WEBP、HEIC）、视频（MP4、MOV）和 PDF 文件，文件类型以内容为准');
  }
  if (bytes.length > EVIDENCE_MAX_BYTES[kind]) {
    throw new AppError(413, 'EVIDENCE_TOO_LARGE', `${EVIDENCE_KIND_LABELS[kind]}不能超过 ${EVIDENCE_MAX_BYTES[kind] / MB} MB`);
  }
  const receivedAt = new Date();
  const digest = sha256(bytes);
  const blobId = await storeBytes(deps, bytes, { ownerId, contentType: detected.mime });
  const record = await appendToChain(deps, { ownerId, blobId, contentType: detected.mime, kind, size: bytes.length, sha256: digest, receivedAt }, holdFrom(receivedAt));
  return { fileId: record._id.toString(), kind, contentType: detected.mime, size: bytes.length, sha256: digest, receivedAt: receivedAt.toISOString() };
}

async function appendToChain(
  deps: Deps,
  item: Pick<Evidence, 'ownerId' | 'blobId' | 'contentType' | 'kind' | 'size' | 'sha256' | 'receivedAt'>,
  heldUntil: Date,
): Promise<EvidenceDoc> {
  const { Evidence } = deps.models;
  const chain = `u:${item.ownerId}`;
  for (let attempt = 0; attempt < MAX_CHAIN_RETRIES; attempt += 1) {
    const last = await Evidence.findOne({ chain }).sort({ seq: -1 }).lean<EvidenceDoc>();
    const fields = { ...item, chain, seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? GENESIS_HASH };
    try {
      const doc = await Evidence.create({ ...fields, hash: recordHash(fields), heldUntil });
      return doc.toObject() as EvidenceDoc;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new AppError(503, 'BUSY', '上传的人较多，请稍后重试');
}

export interface ChainReport {
  intact: boolean;
  records: number;
  /** The first record whose link or content does not hold. */
  brokenAt?: { seq: number; reason: 'sequence' | 'link' | 'hash' };
}

/** Walks an owner's chain from the start: every record must follow on, link and hash correctly. */
export async function verifyChain(deps: Deps, ownerId: string): Promise<ChainReport> {
  const records = await deps.models.Evidence.find({ chain: `u:${ownerId}` }).sort({ seq: 1 }).lean<EvidenceDoc[]>();
  let prev = GENESIS_HASH;
  for (const [i, r] of records.entries()) {
    if (r.seq !== i + 1) return { intact: false, records: records.length, brokenAt: { seq: i + 1, reason: 'sequence' } };
    if (r.prevHash !== prev) return { intact: false, records: records.length, brokenAt: { seq: r.seq, reason: 'link' } };
    // An erased record keeps its link; what its hash covered is gone by design.
    if (!r.erasedAt && recordHash(r) !== r.hash) return { intact: false, records: records.length, brokenAt: { seq: r.seq, reason: 'hash' } };
    prev = r.hash;
  }
  return { intact: true, records: records.length };
}

/** Evidence ids of a submission: all must exist and belong to the person filing. */
export async function ownedEvidence(deps: Deps, ownerId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const docs = await deps.models.Evidence.find({ _id: mongoose.trusted({ $in: ids }), ownerId }).lean<EvidenceDoc[]>();
  if (docs.length !== ids.length) throw new AppError(400, 'EVIDENCE_NOT_FOUND', '部分证据文件不存在或不属于您，请重新上传');
  const byId = new Map(docs.map((d) => [d._id.toString(), d]));
  return ids.map((id) => {
    const d = byId.get(id)!;
    return { fileId: id, kind: d.kind, sha256: d.sha256, size: d.size };
  });
}

const isFileNotFound = (err: unknown) => /FileNotFound|file not found/i.test(String((err as Error)?.message ?? err));

async function deleteBytes(deps: Deps, blobId: string): Promise<void> {
  // A second run after a partial one finds the bytes already gone.
  await bucket(deps).delete(new mongoose.Types.ObjectId(blobId)).catch((err: unknown) => {
    if (!isFileNotFound(err)) throw err;
  });
}

/**
 * Erases evidence files whose retention ended: the bytes are deleted and each record is cut down
 * to its place in its owner's chain. Safe to run again. Answers how many records it erased.
 */
export async function eraseEvidence(deps: Deps, fileIds: string[]): Promise<number> {
  if (!fileIds.length) return 0;
  const docs = await deps.models.Evidence.find({ _id: mongoose.trusted({ $in: fileIds }), erasedAt: null }, { blobId: 1 }).lean<EvidenceDoc[]>();
  for (const doc of docs) {
    await deleteBytes(deps, doc.blobId);
    await deps.models.Evidence.updateOne(
      { _id: doc._id },
      { $set: { erasedAt: new Date() }, $unset: { ownerId: 1, blobId: 1, contentType: 1, kind: 1, size: 1, sha256: 1, receivedAt: 1, heldUntil: 1 } },
    );
  }
  return docs.length;
}

const holdFrom = (from: Date) => new Date(from.getTime() + UNFILED_UPLOAD_KEEP_DAYS * 86_400_000);

/** A draft listing these files was saved: those of the given accounts not yet erased are kept for another period. */
export async function holdForDraft(deps: Deps, ownerIds: string[], fileIds: string[]): Promise<void> {
  const ids = fileIds.filter((id) => mongoose.isValidObjectId(id));
  if (!ids.length) return;
  await deps.models.Evidence.updateMany(
    { _id: mongoose.trusted({ $in: ids }), ownerId: mongoose.trusted({ $in: ownerIds }), erasedAt: null },
    { $max: { heldUntil: holdFrom(new Date()) } },
  );
}

/**
 * Erases uploads no case cites once their hold ended (an upload never filed, a draft abandoned).
 * A file a case cites is only released from the hold: the case's own retention decides its end.
 */
export async function eraseUnfiled(deps: Deps, now = new Date(), batch = 200): Promise<{ erased: number; released: number }> {
  const result = { erased: 0, released: 0 };
  for (;;) {
    const due = await deps.models.Evidence.find({ heldUntil: mongoose.trusted({ $lt: now }) }, { _id: 1 }).limit(batch).lean<EvidenceDoc[]>();
    for (const doc of due) {
      const id = doc._id.toString();
      if (await deps.models.Case.exists({ 'evidence.fileId': id })) {
        await deps.models.Evidence.updateOne({ _id: doc._id }, { $unset: { heldUntil: 1 } });
        result.released += 1;
      } else {
        result.erased += await eraseEvidence(deps, [id]);
        // Already erased by another path: nothing held any more.
        await deps.models.Evidence.updateOne({ _id: doc._id }, { $unset: { heldUntil: 1 } });
      }
    }
    if (due.length < batch) return result;
  }
}

/** Deletes every evidence file of an owner, records and bytes (the whole chain goes with the account). */
export async function deleteOwnerEvidence(deps: Deps, ownerId: string): Promise<number> {
  const docs = await deps.models.Evidence.find({ chain: `u:${ownerId}` }, { blobId: 1 }).lean<EvidenceDoc[]>();
  for (const doc of docs) if (doc.blobId) await deleteBytes(deps, doc.blobId);
  await deps.models.Evidence.deleteMany({ chain: `u:${ownerId}` });
  return docs.length;
}

async function loadFile(deps: Deps, doc: EvidenceDoc) {
  const bytes = await readBytes(deps, doc.blobId);
  return { contentType: doc.contentType, bytes, intact: sha256(bytes) === doc.sha256 };
}

export async function fileForOwner(deps: Deps, ownerId: string, fileId: string) {
  const doc = await deps.models.Evidence.findOne({ _id: fileId, ownerId, erasedAt: null }).lean<EvidenceDoc>();
  if (!doc) throw new AppError(404, 'NOT_FOUND', '文件不存在');
  return loadFile(deps, doc);
}

/**
 * Staff may fetch a file only through a case in their scope that cites it (`scope` is the staff
 * member's case filter). Evidence may show the complainant's person or papers: each view is audited.
 */
export async function fileForStaff(deps: Deps, staff: StaffSession, scope: Record<string, unknown>, fileId: string) {
  const cited = await deps.models.Case.findOne({ 'evidence.fileId': fileId, ...scope }, { number: 1 }).lean<{ number: string }>();
  const doc = cited && (await deps.models.Evidence.findOne({ _id: fileId, erasedAt: null }).lean<EvidenceDoc>());
  if (!doc) throw new AppError(404, 'NOT_FOUND', '文件不存在或不在您的管辖范围内');
  await audit.record(deps, staff, { action: 'evidence_view', caseNumber: cited.number, target: fileId });
  const file = await loadFile(deps, doc);
  const chain = await verifyChain(deps, doc.ownerId);
  return { ...file, chainIntact: chain.intact };
}
