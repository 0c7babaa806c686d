/**
 * Reading query plans from `explain`, on both engines the code runs on: MongoDB (a winning plan of
 * stages, COLLSCAN for a collection scan) and the embedded PostgreSQL + DocumentDB behind FerretDB
 * (a PostgreSQL plan tree: a Seq Scan of a `documents_N` table, or an index walked whole without a
 * condition, reads the whole collection).
 */
import type { Db, Document } from 'mongodb';

export interface PlanReading {
  engine: 'mongodb' | 'documentdb';
  /** Index names the plan uses with a condition (or, on MongoDB, any IXSCAN). */
  indexes: string[];
  /** What reads the whole collection, empty when nothing does. */
  fullScans: string[];
}

function walk(node: unknown, visit: (n: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
  } else if (node && typeof node === 'object') {
    visit(node as Record<string, unknown>);
    for (const v of Object.values(node)) walk(v, visit);
  }
}

export function readPlan(explain: Document): PlanReading {
  const indexes = new Set<string>();
  const fullScans: string[] = [];
  const pg = explain.queryPlanner?.Plan ?? explain.stages?.[0]?.$cursor?.queryPlanner?.Plan;
  if (pg) {
    walk(pg, (n) => {
      const type = n['Node Type'];
      const relation = String(n['Relation Name'] ?? '');
      if (type === 'Seq Scan' && relation.startsWith('documents_')) fullScans.push(`Seq Scan on ${relation}`);
      if (typeof n['Index Name'] === 'string') {
        // An index walked without a condition reads every entry: a scan in index order.
        if (n['Index Cond'] === undefined && n['Filter'] === undefined && String(type).includes('Index')) fullScans.push(`${type} of ${n['Index Name']} without a condition`);
        else indexes.add(n['Index Name'] as string);
      }
    });
    return { engine: 'documentdb', indexes: [...indexes], fullScans };
  }
  walk(explain.queryPlanner?.winningPlan ?? explain, (n) => {
    if (n.stage === 'COLLSCAN') fullScans.push('COLLSCAN');
    if (n.stage === 'IXSCAN' || n.stage === 'COUNT_SCAN' || n.stage === 'DISTINCT_SCAN') indexes.add(String(n.indexName));
    if (n.stage === 'IDHACK' || n.stage === 'EXPRESS_IXSCAN') indexes.add('_id_');
  });
  return { engine: 'mongodb', indexes: [...indexes], fullScans };
}

/** A read the application made, as the driver was asked for it. */
export interface CapturedQuery {
  collection: string;
  method: string;
  filter?: Document;
  sort?: Document;
  limit?: number;
  pipeline?: Document[];
}

/** The plan of a captured read (or of the find that selects a write's documents). */
export async function explainQuery(db: Db, q: CapturedQuery): Promise<PlanReading> {
  const command =
    q.pipeline !== undefined
      ? { aggregate: q.collection, pipeline: q.pipeline, cursor: {} }
      : q.method === 'countDocuments'
        ? { count: q.collection, query: q.filter ?? {} }
        : { find: q.collection, filter: q.filter ?? {}, ...(q.sort ? { sort: q.sort } : {}), ...(q.limit ? { limit: q.limit } : {}) };
  return readPlan(await db.command({ explain: command, verbosity: 'queryPlanner' }));
}
