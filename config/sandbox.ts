/** Settings of the local stand-ins for WeChat, Alipay and the identity provider (dev and test only). */
import { z } from 'zod';
import { DEV_ALIPAY_AES_KEY } from './bff';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production'], { message: 'NODE_ENV must be exactly development, test or production' }),
  WECHAT_APP_ID: z.string().default('wx-sandbox-app'),
  WECHAT_APP_SECRET: z.string().default('sandbox-secret'),
  ALIPAY_APP_ID: z.string().default('2021000000000000'),
  ALIPAY_APP_PUBLIC_KEY: z.string().min(1, 'ALIPAY_APP_PUBLIC_KEY (our app public key) is required'),
  ALIPAY_STANDIN_PRIVATE_KEY: z.string().min(1, 'ALIPAY_STANDIN_PRIVATE_KEY (the stand-in signing key) is required'),
  ALIPAY_AES_KEY: z.string().default(DEV_ALIPAY_AES_KEY),
  IDENTITY_SECRET_ID: z.string().default('sandbox-secret-id'),
  IDENTITY_SECRET_KEY: z.string().default('sandbox-secret-key'),
});

export function loadSandboxConfig(source: Record<string, string | undefined> = process.env) {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid sandbox configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production') throw new Error('the sandbox stand-ins refuse to run when NODE_ENV=production');
  return Object.freeze({
    wechat: { appId: env.WECHAT_APP_ID, appSecret: env.WECHAT_APP_SECRET },
    alipay: { appId: env.ALIPAY_APP_ID, appPublicKey: env.ALIPAY_APP_PUBLIC_KEY, alipayPrivateKey: env.ALIPAY_STANDIN_PRIVATE_KEY, aesKey: env.ALIPAY_AES_KEY },
    identity: { secretId: env.IDENTITY_SECRET_ID, secretKey: env.IDENTITY_SECRET_KEY },
  });
}
export type SandboxConfig = ReturnType<typeof loadSandboxConfig>;
