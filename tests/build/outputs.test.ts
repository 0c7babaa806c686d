/** The mini program builds hold app.json and every page's files; the web builds have their entry. */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const dist = (...p: string[]) => path.join(ROOT, 'dist', ...p);

function dirSize(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => {
    const p = path.join(dir, e.name);
    return sum + (e.isDirectory() ? dirSize(p) : fs.statSync(p).size);
  }, 0);
}

const PAGE_FILES = {
  weapp: ['.js', '.json', '.wxml', '.wxss'],
  alipay: ['.js', '.json', '.axml', '.acss'],
} as const;

describe.each(Object.entries(PAGE_FILES))('%s build', (platform, extensions) => {
  const appJson = () => JSON.parse(fs.readFileSync(dist(platform, 'app.json'), 'utf8')) as { pages: string[]; subPackages?: unknown[] };

  it('has app.json listing the pages', () => {
    expect(appJson().pages).toEqual(
      expect.arrayContaining(['pages/index/index', 'pages/complaint-new/index', 'pages/report-new/index', 'pages/complaints/index', 'pages/case/index', 'pages/verify/index', 'pages/me/index']),
    );
  });

  it('has every page file', () => {
    for (const page of appJson().pages) {
      for (const ext of extensions) {
        const file = dist(platform, page + ext);
        expect({ file, exists: fs.existsSync(file) }).toEqual({ file, exists: true });
      }
    }
  });

  it('has the app-level files', () => {
    for (const f of ['app.js', 'app.json']) expect(fs.existsSync(dist(platform, f))).toBe(true);
    expect(fs.existsSync(dist(platform, platform === 'weapp' ? 'app.wxss' : 'app.acss'))).toBe(true);
  });

  it('lists every page of miniprogram/app.config.ts', () => {
    const config = fs.readFileSync(path.join(ROOT, 'miniprogram/app.config.ts'), 'utf8');
    const declared = [...config.matchAll(/'(pages\/[\w-]+\/index)'/g)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThanOrEqual(4);
    expect(appJson().pages).toEqual(expect.arrayContaining(declared));
  });

  it('stays under the 2 MB main package limit', () => {
    expect(dirSize(dist(platform))).toBeLessThan(2 * 1024 * 1024);
  });
});

describe('project files for the vendor tools', () => {
  it('weapp has project.config.json', () => {
    expect(JSON.parse(fs.readFileSync(dist('weapp', 'project.config.json'), 'utf8'))).toHaveProperty('appid');
  });
  it('alipay has mini.project.json', () => {
    expect(fs.existsSync(dist('alipay', 'mini.project.json'))).toBe(true);
  });
});

describe('web builds', () => {
  it('H5 has index.html', () => {
    expect(fs.readFileSync(dist('h5', 'index.html'), 'utf8')).toContain('<script');
  });
  it('the admin page has index.html under /admin/', () => {
    expect(fs.readFileSync(path.join(ROOT, 'bff/admin/dist/index.html'), 'utf8')).toContain('/admin/');
  });
});
