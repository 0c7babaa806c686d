/** Wraps the vendor clients behind the one PlatformAdapter interface the services use. */
import type { Config } from '../../../config/bff';
import type { Redis } from '../infra/redis';
import { createAlipayClient } from './alipay';
import { createWechatClient, type WechatClient } from './wechat';
import type { PlatformAdapter, Platforms } from './types';

export function wechatAdapter(client: WechatClient): PlatformAdapter {
  return {
    platform: 'wechat',
    async exchangeLoginCode(code) {
      const session = await client.code2Session(code);
      // session_key stays here: nothing the BFF answers carries it.
      return { platformUserId: session.openid, ...(session.unionid ? { unionId: session.unionid } : {}) };
    },
    async sendSubscription(m) {
      const result = await client.sendSubscribeMessage({
        openid: m.touser,
        templateId: m.templateId,
        page: m.page,
        data: m.data,
        deliveryKey: m.deliveryKey,
      });
      return result.status === 'sent' ? result : { ...result, code: String(result.code) };
    },
    async phoneNumber(code) {
      const phone = await client.getPhoneNumber(code);
      // Mainland numbers are kept bare; others keep their country code.
      return phone.countryCode === '86' ? phone.purePhoneNumber : `+${phone.countryCode} ${phone.purePhoneNumber}`;
    },
    // Scene 2: comments and complaints.
    checkText: (input) => client.msgSecCheck({ openid: input.platformUserId, content: input.content, scene: 2 }),
  };
}

export function createPlatforms(config: Config, redis: Redis, key: (...parts: string[]) => string): Platforms {
  const wechat = createWechatClient({
    baseUrl: config.wechat.apiBase,
    appId: config.wechat.appId,
    appSecret: config.wechat.appSecret,
    redis,
    keyPrefix: key(''),
    timeoutMs: config.platformTimeoutMs,
  });
  const alipay = createAlipayClient({
    appId: config.alipay.appId,
    privateKey: config.alipay.privateKey,
    alipayPublicKey: config.alipay.alipayPublicKey,
    gateway: config.alipay.gateway,
    idField: config.alipay.idField,
    aesKey: config.alipay.aesKey,
    timeoutMs: config.platformTimeoutMs,
  });
  return {
    wechat: wechatAdapter(wechat),
    alipay: {
      platform: 'alipay',
      async exchangeLoginCode(code) {
        return { platformUserId: (await alipay.exchangeCode(code)).id };
      },
      sendSubscription: (m) =>
        alipay.sendTemplateMessage({ toId: m.touser, templateId: m.templateId, page: m.page, data: m.data, deliveryKey: m.deliveryKey }),
      phoneNumber: async (response) => alipay.decryptPhone(response),
    },
  };
}
