/** Starts the three vendor stand-ins together (dev and test only). */
import type { SandboxConfig } from '../../../config/sandbox';
import { WECHAT_TEMPLATES, ALIPAY_TEMPLATES } from '../../../config/templates';
import { startWechatStandin } from './wechat.standin';
import { startAlipayStandin } from './alipay.standin';
import { startIdentityStandin } from './identity.standin';

export interface Sandbox {
  urls: { wechat: string; alipay: string; identity: string };
  close(): Promise<void>;
}

export async function startSandbox(config: SandboxConfig, ports: { wechat?: number; alipay?: number; identity?: number } = {}): Promise<Sandbox> {
  const wechat = await startWechatStandin({
    ...config.wechat,
    port: ports.wechat,
    templates: WECHAT_TEMPLATES.map((t) => ({ id: t.id, keys: Object.keys(t.fields) })),
  });
  const alipay = await startAlipayStandin({
    ...config.alipay,
    port: ports.alipay,
    templates: Object.fromEntries(ALIPAY_TEMPLATES.map((t) => [t.id, Object.keys(t.fields)])),
  });
  const identity = await startIdentityStandin({ ...config.identity, port: ports.identity });
  return {
    urls: { wechat: wechat.url, alipay: alipay.url, identity: identity.url },
    async close() {
      await Promise.all([wechat.close(), alipay.close(), identity.close()]);
    },
  };
}
