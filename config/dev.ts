import type { UserConfigExport } from '@tarojs/cli';

export default {
  logger: { quiet: false, stats: true },
  // Taro 4.2's dependency prebundle crashes the H5 dev server
  // (webpack-virtual-modules: "_writeVirtualFile is not a function").
  compiler: { type: 'webpack5', prebundle: { enable: false } },
  mini: {},
  h5: {
    devServer: {
      host: '127.0.0.1',
      port: 10086,
      // The BFF serves dist/h5 at /h5/, so the watch build writes its output to disk as well as
      // serving it with live reload here.
      devMiddleware: { writeToDisk: true },
      // The built H5 calls its own origin; on this server that origin must pass the API on to
      // the BFF (`npm start` says where it listens).
      proxy: [{ context: ['/api'], target: process.env.TARO_DEV_API_TARGET ?? 'http://127.0.0.1:3000' }],
    },
  },
} satisfies UserConfigExport<'webpack5'>;
