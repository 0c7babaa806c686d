/** Build of the staff admin page; run from the repo root with `vite build --config bff/admin/vite.config.mts`. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const adminDir = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The BFF that `npm start` is running, so `vite` (dev server) can proxy /api to it. */
function runningBff(): string | undefined {
  try {
    const endpoints = JSON.parse(readFileSync(`${repoRoot}.run/endpoints.json`, 'utf8')) as { bff?: string };
    return endpoints.bff ? new URL(endpoints.bff).origin : undefined;
  } catch {
    return undefined;
  }
}
const bff = runningBff();

export default defineConfig({
  root: adminDir,
  // The BFF serves the build at /admin/, on the same origin as /api/v1.
  base: '/admin/',
  plugins: [react()],
  server: { fs: { allow: [repoRoot] }, proxy: bff ? { '/api': bff } : undefined },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The antd chunk (about 300 kB gzip; charts are a separate chunk only the dashboard loads) is one cached download for an office tool; splitting it per page saved little.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Libraries change less often than our pages: separate chunks stay cached across releases.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react)[\\/]/, priority: 3 },
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/, priority: 2 },
            { name: 'antd', test: /node_modules[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
