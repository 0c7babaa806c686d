/** Seeds what a fresh installation needs: a demo bureau, its staff account and the category tree. */
import type { Deps } from './context';
import { CATEGORY_TREE_VERSION, PROBLEM_TYPE_TREE, flattenCategories } from '../../shared/complaint/categories';
import { hashPassword } from './modules/staff/staff.service';
import { seedBureaus } from './modules/regions/regions.service';

export const DEMO_BUREAU = { code: '110105', name: '北京市朝阳区市场监督管理局', regionCode: '110105' };
export const DEMO_STAFF_USERNAME = 'demo';
/** The first admin: without one, nobody could create staff accounts or bureaus. */
export const DEMO_ADMIN_USERNAME = 'admin';
/** Supervises every bureau of Beijing (region prefix 11): the dashboard's regional view. */
export const DEMO_SUPERVISOR_USERNAME = 'beijing';

export async function seed(deps: Deps, opts: { staffPassword: string }): Promise<void> {
  // Three accounts share one known password: never in production.
  if (deps.config.production) throw new Error('the demo seed refuses to run when NODE_ENV=production');
  const { Bureau, Staff, Category } = deps.models;
  await Bureau.updateOne({ code: DEMO_BUREAU.code }, { $setOnInsert: DEMO_BUREAU }, { upsert: true });
  const existing = await Staff.findOne({ username: DEMO_STAFF_USERNAME }).lean();
  const passwordHash = await hashPassword(opts.staffPassword);
  if (existing) {
    await Staff.updateOne({ _id: existing._id }, { $set: { passwordHash }, $unset: { lockedUntil: 1 } });
  } else {
    await Staff.create({
      username: DEMO_STAFF_USERNAME,
      passwordHash,
      displayName: '演示承办人',
      role: 'handler',
      bureauCode: DEMO_BUREAU.code,
      regionPrefix: DEMO_BUREAU.regionCode,
    });
  }
  const others = [
    { username: DEMO_ADMIN_USERNAME, displayName: '演示管理员', role: 'admin', regionPrefix: '' },
    { username: DEMO_SUPERVISOR_USERNAME, displayName: '演示监管主管', role: 'supervisor', regionPrefix: '11' },
  ] as const;
  for (const account of others) {
    if (!(await Staff.exists({ username: account.username }))) await Staff.create({ ...account, passwordHash, bureauCode: DEMO_BUREAU.code });
  }
  // Both trees in one unordered bulk write of upserts by code.
  await Category.bulkWrite(
    [
      ...flattenCategories().map((c) => ({
        updateOne: { filter: { code: c.code }, update: { $set: { name: c.name, parent: c.parent, treeVersion: CATEGORY_TREE_VERSION } }, upsert: true },
      })),
      ...flattenCategories(PROBLEM_TYPE_TREE).map((c) => ({
        updateOne: { filter: { code: c.code }, update: { $set: { name: c.name, parent: c.parent, treeVersion: CATEGORY_TREE_VERSION, tree: 'problem_type' } }, upsert: true },
      })),
    ],
    { ordered: false },
  );
  await seedBureaus(deps);
}
