/**
 * What sealing costs: seal and open per value (µs), and storing and reading a 10 MB evidence file
 * with and without encryption, on the database MONGODB_URI names (give it a database of its own:
 * it is dropped at the end). Usage: MONGODB_URI=mongodb://.../pii_cost REDIS_URL=... tsx tests/load/pii-cost.ts
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose from 'mongoose';
import { loadConfig } from '../../config/bff';
import { buildModels, type Deps } from '../../bff/src/context';
import { connectDb } from '../../bff/src/infra/db';
import { createPii } from '../../bff/src/infra/pii';
import { fileForOwner, receiveEvidence } from '../../bff/src/modules/evidence/evidence.service';
import { decryptStream, encryptStream, newFileKey } from '../../bff/src/modules/evidence/evidence.cipher';

const say = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function perValue() {
  const pii = createPii({ current: 'k1', keys: { k1: randomBytes(32) }, indexKey: randomBytes(32) });
  const place = { collection: 'cases', field: 'description', id: new mongoose.Types.ObjectId() };
  for (const [what, text] of [
    ['phone (11 characters)', '13812345678'],
    ['description (300 characters)', '购买的空调安装后第三天就无法制冷'.repeat(19)],
  ] as const) {
    const n = 50_000;
    let sealed = '';
    for (let i = 0; i < 2000; i += 1) pii.open(pii.seal(text, place), place);
    let t = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) sealed = pii.seal(text, place);
    const seal = Number(process.hrtime.bigint() - t) / 1000 / n;
    t = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) pii.open(sealed, place);
    const open = Number(process.hrtime.bigint() - t) / 1000 / n;
    say(`${what}: seal ${seal.toFixed(1)} µs, open ${open.toFixed(1)} µs, stored ${sealed.length} bytes`);
  }
}

async function evidence() {
  const config = loadConfig();
  const conn = await connectDb(config.mongodbUri);
  // Only what evidence intake uses: the database and the sealing keys.
  const deps = { conn, models: buildModels(conn), pii: createPii(config.pii) } as unknown as Deps;
  await deps.models.Evidence.syncIndexes();
  try {
    const bytes = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(10 * 1024 * 1024 - 16), Buffer.from('\n%%EOF\n')]);
    const plainBucket = new mongoose.mongo.GridFSBucket(deps.conn.db!, { bucketName: 'plain' });
    const runs = 5;
    const times = { plainUp: [] as number[], plainDown: [] as number[], sealedUp: [] as number[], sealedDown: [] as number[], up: [] as number[], down: [] as number[] };
    for (let i = 0; i < runs; i += 1) {
      // As evidence was stored before: the bytes straight into GridFS and back.
      let t = Date.now();
      const upload = plainBucket.openUploadStream('plain.pdf');
      await pipeline(Readable.from([bytes]), upload);
      times.plainUp.push(Date.now() - t);
      t = Date.now();
      const chunks: Buffer[] = [];
      for await (const c of plainBucket.openDownloadStream(upload.id)) chunks.push(c as Buffer);
      if (!Buffer.concat(chunks).equals(bytes)) throw new Error('plain read differs');
      times.plainDown.push(Date.now() - t);

      // The same with encryption only: bytes through the cipher into GridFS and back.
      const blobId = new mongoose.Types.ObjectId();
      const { key } = newFileKey(deps.pii, blobId);
      t = Date.now();
      await pipeline(Readable.from([bytes]), encryptStream(key, blobId.toString()), plainBucket.openUploadStreamWithId(blobId, 'sealed.pdf'));
      times.sealedUp.push(Date.now() - t);
      t = Date.now();
      const opened: Buffer[] = [];
      await pipeline(plainBucket.openDownloadStream(blobId), decryptStream(key, blobId.toString()), async (source: AsyncIterable<Buffer>) => {
        for await (const c of source) opened.push(c);
      });
      if (!Buffer.concat(opened).equals(bytes)) throw new Error('sealed read differs');
      times.sealedDown.push(Date.now() - t);

      // Now: type check, hash, encryption, chain (receiveEvidence), and the owner's download.
      t = Date.now();
      const r = await receiveEvidence(deps, `bench-owner-${i}`, bytes);
      times.up.push(Date.now() - t);
      t = Date.now();
      const file = await fileForOwner(deps, `bench-owner-${i}`, r.fileId);
      if (!file.bytes.equals(bytes) || !file.intact) throw new Error('encrypted read differs');
      times.down.push(Date.now() - t);
    }
    say(`10 MB evidence, median of ${runs} (ms): GridFS store ${median(times.plainUp)} plain, ${median(times.sealedUp)} encrypted; whole upload (receiveEvidence) ${median(times.up)}`);
    say(`10 MB evidence, median of ${runs} (ms): GridFS read ${median(times.plainDown)} plain, ${median(times.sealedDown)} decrypted; whole download (fileForOwner) ${median(times.down)}`);
  } finally {
    await conn.dropDatabase().catch(() => undefined);
    await conn.close();
  }
}

async function main() {
  perValue();
  await evidence();
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
