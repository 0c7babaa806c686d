/**
 * Seeds the push bench: `count` cases, each with one outbox entry as a staff transition writes it,
 * for `users` WeChat consumers who each granted enough one-time sends, both in our grant counts
 * and in the WeChat stand-in. Usage: tsx tests/load/push-seed.ts <count> <users>
 */
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../config/bff';
import { closeDeps, createDeps, syncIndexes } from '../../bff/src/context';
import { createLogger } from '../../bff/src/logger';
import { buildDelivery, templateFor } from '../../bff/src/modules/notify/outbox';
import { announceOutbox } from '../../bff/src/modules/notify/announce';
import { formatCaseNumber } from '../../shared/complaint/case-number';

async function main() {
  const count = Number(process.argv[2]);
  const users = Number(process.argv[3]);
  if (!Number.isInteger(count) || !Number.isInteger(users) || count < 1 || users < 1) throw new Error('usage: push-seed.ts <count> <users>');
  const config = loadConfig();
  const deps = await createDeps(config, createLogger({ level: 'warn' }));
  await syncIndexes(deps);
  const templateId = templateFor('wechat', 'accepted')!.id;
  const perUser = Math.ceil(count / users);
  const owners = Array.from({ length: users }, (_, i) => ({ userId: randomBytes(12).toString('hex'), openid: `bench-push-${i}` }));

  for (const o of owners) {
    const res = await fetch(new URL('/__sandbox/subscribe', config.wechat.apiBase), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: o.openid, templateIds: Array(perUser).fill(templateId) }),
    });
    if (!res.ok) throw new Error(`stand-in subscribe answered ${res.status}`);
  }
  await deps.models.Grant.insertMany(owners.map((o) => ({ userId: o.userId, platform: 'wechat', templateId, count: perUser })));

  const at = new Date();
  const CHUNK = 500;
  for (let start = 0; start < count; start += CHUNK) {
    const docs = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      const owner = owners[i % users];
      const number = formatCaseNumber('complaint', '2026-01-05', i + 1);
      const delivery = buildDelivery({
        platform: 'wechat',
        userId: owner.userId,
        touser: owner.openid,
        event: 'accepted',
        version: 1,
        facts: { number, respondent: `压测商户${i}`, status: 'accepted', at },
      })!;
      docs.push({
        number,
        type: 'complaint',
        status: 'accepted',
        version: 1,
        bureauCode: config.defaultBureauCode,
        owner: { userId: owner.userId, platform: 'wechat' },
        idempotencyKey: `bench-${i}`,
        respondent: { name: `压测商户${i}` },
        description: '这是一条用于压测消息推送的投诉描述，长度超过二十个字。',
        receivedAt: at,
        timeline: [
          { at, actor: 'consumer', action: 'submit', from: null, to: 'submitted' },
          { at, actor: 'staff:bench', action: 'accept', from: 'submitted', to: 'accepted' },
        ],
        deliveries: { [delivery.key]: delivery },
        outboxPending: 1,
      });
    }
    const inserted = await deps.models.Case.insertMany(docs, { ordered: false });
    // Each of these stands for a staff transition, which announces its case to the relay.
    for (const c of inserted) await announceOutbox(deps, String(c._id));
  }
  await closeDeps(deps);
  process.stdout.write(`READY seeded ${count}\n`);
}

main().catch((err) => {
  process.stderr.write(`push seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
