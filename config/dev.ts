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
      // The built H5 calls its own origin; in development that origin is this server, so pass
      // the API on to a BFF running locally on its default port.
      proxy: [{ context: ['/api'], target: 'http://127.0.0.1:3000' }],
    },
  },
} satisfies UserConfigExport<'webpack5'>;
