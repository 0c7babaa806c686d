/**
 * Taro build settings for the consumer mini program (weapp, alipay, h5).
 * The config files are the only place that reads process.env; the app sees API_BASE only.
 */
import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';
import devConfig from './dev';
import prodConfig from './prod';

const platform = process.env.TARO_ENV ?? 'h5';
// H5 is served by the BFF itself, so it calls the same origin; mini programs need an absolute host.
const apiBase = process.env.TARO_APP_API_BASE ?? (platform === 'h5' ? '' : 'http://127.0.0.1:3000');
const sharedDir = path.resolve(__dirname, '..', 'shared');

export default defineConfig<'webpack5'>(async (merge) => {
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'consumer-12315',
    designWidth: 375,
    deviceRatio: { 375: 2, 640: 2.34 / 2, 750: 1, 828: 1.81 / 2 },
    sourceRoot: 'miniprogram',
    outputRoot: `dist/${platform}`,
    plugins: [],
    defineConstants: { API_BASE: JSON.stringify(apiBase.replace(/\/+$/, '')) },
    alias: { '@shared': sharedDir },
    copy: {
      // The vendors' developer tools open dist/<platform> and read these project files there.
      patterns:
        platform === 'alipay'
          ? [{ from: 'config/mini.project.json', to: 'dist/alipay/mini.project.json' }]
          : platform === 'weapp'
            ? [{ from: 'config/project.config.json', to: 'dist/weapp/project.config.json' }]
            : [],
      options: {},
    },
    framework: 'react',
    compiler: 'webpack5',
    mini: {
      // Taro transpiles only sourceRoot unless told: shared/ lies outside it, and zod ships
      // ES2020 syntax that older mini program runtimes cannot parse.
      compile: { include: [sharedDir, (file: string) => /node_modules[\\/]zod[\\/]/.test(file)] },
      // Page styles are split per page, so their relative order across pages does not matter.
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
    h5: {
      publicPath: '/h5/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: { include: [sharedDir] },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[chunkhash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
