/** Everything a request handler or a job needs, built once per process and closed on shutdown. */
import type { ConnectOptions, Connection } from 'mongoose';
import type { Config } from '../../config/bff';
import type { Logger } from './logger';
import { connectDb } from './infra/db';
import { connectRedis, type Redis } from './infra/redis';
import { userModel } from './modules/auth/user.model';
import { caseModel, counterModel } from './modules/complaints/complaint.model';
import { bureauModel, staffModel } from './modules/staff/staff.model';
import { grantModel } from './modules/notify/grant.model';
import { categoryModel } from './modules/catalog/category.model';
import { identityModel } from './modules/identity/identity.model';
import { createIdentityClient, type IdentityClient } from './platforms/identity';
import { evidenceModel } from './modules/evidence/evidence.model';
import { draftModel } from './modules/drafts/draft.model';
import { auditModel } from './modules/audit/audit.model';
import { hotspotMarkModel } from './modules/insight/insight.service';
import { insightCounterModel } from './modules/insight/counters';
import { createPlatforms } from './platforms';
import { createPii, type Pii } from './infra/pii';
import type { Platforms } from './platforms/types';

export function buildModels(conn: Connection) {
  return {
    User: userModel(conn),
    Case: caseModel(conn),
    Counter: counterModel(conn),
    Bureau: bureauModel(conn),
    Staff: staffModel(conn),
    Grant: grantModel(conn),
    Category: categoryModel(conn),
    Identity: identityModel(conn),
    Evidence: evidenceModel(conn),
    Draft: draftModel(conn),
    AuditEntry: auditModel(conn),
    HotspotMark: hotspotMarkModel(conn),
    InsightCounter: insightCounterModel(conn),
  };
}
export type Models = ReturnType<typeof buildModels>;

export interface Deps {
  config: Config;
  logger: Logger;
  conn: Connection;
  redis: Redis;
  models: Models;
  platforms: Platforms;
  /** The two-element (name + ID number) check provider. */
  identityProvider: IdentityClient;
  /** Sealing and blind indexes for personal data at rest. */
  pii: Pii;
  /** A Redis key under this deployment's prefix. */
  key(...parts: string[]): string;
}

export async function createDeps(config: Config, logger: Logger, dbOptions: ConnectOptions = {}): Promise<Deps> {
  const [conn, redis] = await Promise.all([connectDb(config.mongodbUri, dbOptions), connectRedis(config.redisUrl)]);
  const models = buildModels(conn);
  const key = (...parts: string[]) => config.redisPrefix + parts.join(':');
  const platforms = createPlatforms(config, redis, key);
  const identityProvider = createIdentityClient({
    baseUrl: config.identity.apiBase,
    secretId: config.identity.secretId,
    secretKey: config.identity.secretKey,
  });
  return { config, logger, conn, redis, models, platforms, key, pii: createPii(config.pii), identityProvider };
}

/** Makes each collection's indexes those its schema declares: missing ones built, retired ones dropped. */
export async function syncIndexes(deps: Deps): Promise<void> {
  for (const model of Object.values(deps.models)) await model.syncIndexes();
}

export async function closeDeps(deps: Deps): Promise<void> {
  await Promise.allSettled([deps.conn.close(), deps.redis.quit()]);
}
