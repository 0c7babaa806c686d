/** The region picker's data, the bureau directory seeded for every county, and categories with problem types. */
import { seed } from '../../bff/src/seed';
import { countyRegions, seedBureaus } from '../../bff/src/modules/regions/regions.service';
import { startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: 'staff-password-1' });
});
afterAll(() => h.close());

describe('regions', () => {
  it('lists the 31 mainland provinces, then cities, then counties', async () => {
    const provinces = await h.http('GET', '/api/v1/regions');
    expect(provinces.body.items).toHaveLength(31);
    expect(provinces.body.items[0]).toEqual({ code: '11', name: '北京市', level: 'province' });
    const cities = await h.http('GET', '/api/v1/regions?parent=44');
    expect(cities.body.items).toContainEqual({ code: '4403', name: '深圳市', level: 'city' });
    const counties = await h.http('GET', '/api/v1/regions?parent=4403');
    expect(counties.body.items).toContainEqual({ code: '440305', name: '南山区', level: 'county' });
  });

  it('a city without counties lists itself as its county-level unit', async () => {
    const res = await h.http('GET', '/api/v1/regions?parent=4419');
    expect(res.body.items).toEqual([{ code: '441900', name: '东莞市', level: 'county' }]);
  });

  it.each([
    ['a malformed parent', '/api/v1/regions?parent=1', 400, 'VALIDATION_FAILED'],
    ['an unknown parent', '/api/v1/regions?parent=99', 404, 'REGION_NOT_FOUND'],
    ['an operator-looking parent', '/api/v1/regions?parent=%7B%22%24gt%22%3A%22%22%7D', 400, 'VALIDATION_FAILED'],
  ])('refuses %s', async (_name, path, status, code) => {
    const res = await h.http('GET', path);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });
});

describe('bureau directory', () => {
  it('has one bureau for every county, with the county code and a full name', async () => {
    const counties = countyRegions();
    expect(await h.deps.models.Bureau.countDocuments({})).toBe(counties.length);
    const res = await h.http('GET', '/api/v1/bureaus?region=440305');
    expect(res.body.items).toEqual([{ code: '440305', name: '广东省深圳市南山区市场监督管理局', regionCode: '440305', regionName: '广东省深圳市南山区' }]);
  });

  it('keeps the demo bureau as seeded and seeding again adds nothing', async () => {
    expect((await h.deps.models.Bureau.findOne({ code: '110105' }).lean())!.name).toBe('北京市朝阳区市场监督管理局');
    const started = Date.now();
    expect(await seedBureaus(h.deps)).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses a region that is not a county', async () => {
    for (const region of ['110100', '999999']) {
      const res = await h.http('GET', `/api/v1/bureaus?region=${region}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('REGION_UNKNOWN');
    }
  });
});

describe('categories', () => {
  it('serves the category tree and the problem-type tree of the current version', async () => {
    const res = await h.http('GET', '/api/v1/categories');
    expect(res.body.version).toBe('2026.2');
    expect(res.body.items).toContainEqual({ code: 'goods.appliance', name: '家用电器', parent: 'goods' });
    expect(res.body.problemTypes).toContainEqual({ code: 'after_sales.refuse_repair', name: '拒绝维修', parent: 'after_sales' });
    expect(res.body.items.some((c: { code: string }) => c.code === 'quality')).toBe(false);
  });
});
