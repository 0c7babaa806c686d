/**
 * Drafts: the last saved copy wins unless the client says which version it edited; then a save
 * from a stale copy (another device saved meanwhile) answers 409 with nothing changed.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { isDuplicateKey } from '../../infra/db';
import type { SealPlace } from '../../infra/pii';
import { AppError } from '../../http/errors';
import type { DraftData, DraftView } from '../../../../shared/api/drafts';
import type { Draft } from './draft.model';
import { linkedUserIds } from '../identity/identity.service';
import { holdForDraft } from '../evidence/evidence.service';

/**
 * Drafts belong to the person: once a WeChat and an Alipay account are linked, both read and
 * write the draft of the same (lowest) account id, so typing can go on on the other platform.
 */
async function draftOwner(deps: Deps, userId: string): Promise<string> {
  return (await linkedUserIds(deps, userId)).sort()[0];
}

type Kind = DraftView['kind'];

type DraftDoc = Draft & { _id: mongoose.Types.ObjectId };

/** A draft's form is bound to the draft document. */
export const draftPlace = (id: unknown): SealPlace => ({ collection: 'drafts', field: 'data', id: String(id) });

const view = (deps: Deps, d: DraftDoc): DraftView => ({
  kind: d.kind as Kind,
  data: JSON.parse(deps.pii.open(d.sealed, draftPlace(d._id))) as DraftData,
  version: d.version,
  updatedAt: (d as { updatedAt?: Date }).updatedAt?.toISOString() ?? new Date(0).toISOString(),
});

export async function getDraft(deps: Deps, accountId: string, kind: Kind): Promise<DraftView> {
  const userId = await draftOwner(deps, accountId);
  const d = await deps.models.Draft.findOne({ userId, kind }).lean<DraftDoc>();
  if (!d) throw new AppError(404, 'NOT_FOUND', '没有保存的草稿');
  return view(deps, d);
}


/** Saves the form; the uploads it lists are kept as long as the draft is (see holdForDraft). */
export async function saveDraft(deps: Deps, accountId: string, kind: Kind, data: DraftData, baseVersion?: number): Promise<DraftView> {
  const saved = await storeDraft(deps, accountId, kind, data, baseVersion);
  const files = (data.evidence ?? []).map((e) => e.fileId);
  if (files.length) await holdForDraft(deps, await linkedUserIds(deps, accountId), files);
  return saved;
}

async function storeDraft(deps: Deps, accountId: string, kind: Kind, data: DraftData, baseVersion?: number): Promise<DraftView> {
  const { Draft } = deps.models;
  const userId = await draftOwner(deps, accountId);
  // The form is sealed for the draft it goes into: the existing one, or a new one made with this id.
  const sealedFor = async () => {
    const existing = await Draft.findOne({ userId, kind }, { _id: 1 }).lean<{ _id: mongoose.Types.ObjectId }>();
    const _id = existing?._id ?? new mongoose.Types.ObjectId();
    return { _id, sealed: deps.pii.seal(JSON.stringify(data), draftPlace(_id)) };
  };
  if (baseVersion === undefined) {
    const upsert = async () => {
      const { _id, sealed } = await sealedFor();
      return Draft.findOneAndUpdate(
        { userId, kind, _id },
        { $set: { sealed }, $inc: { version: 1 }, $setOnInsert: { userId, kind } },
        { upsert: true, returnDocument: 'after' },
      ).lean<DraftDoc>();
    };
    // Two first saves racing: the loser of the insert seals again for the winner's draft and updates it.
    const saved = await upsert().catch((err) => (isDuplicateKey(err) ? upsert() : Promise.reject(err)));
    return view(deps, saved!);
  }
  const { _id, sealed } = await sealedFor();
  if (baseVersion === 0) {
    const created = await Draft.create({ _id, userId, kind, sealed, version: 1 }).catch((err) => {
      if (isDuplicateKey(err)) throw staleDraft();
      throw err;
    });
    return view(deps, created.toObject() as DraftDoc);
  }
  const updated = await Draft.findOneAndUpdate({ _id, userId, kind, version: baseVersion }, { $set: { sealed }, $inc: { version: 1 } }, { returnDocument: 'after' }).lean<DraftDoc>();
  if (!updated) throw staleDraft();
  return view(deps, updated);
}

const staleDraft = () => new AppError(409, 'DRAFT_STALE', '草稿已在其他设备上更新，请载入最新草稿后再编辑');

export async function deleteDraft(deps: Deps, accountId: string, kind: Kind): Promise<void> {
  await deps.models.Draft.deleteOne({ userId: await draftOwner(deps, accountId), kind });
}
