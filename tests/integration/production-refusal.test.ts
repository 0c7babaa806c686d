import { startIdentityStandin } from '../../bff/src/sandbox/identity.standin';
import { startWechatStandin } from '../../bff/src/sandbox/wechat.standin';

const original = process.env.NODE_ENV;
beforeEach(() => {
  process.env.NODE_ENV = 'production';
});
afterEach(() => {
  process.env.NODE_ENV = original;
});

test('the WeChat stand-in refuses to start when NODE_ENV is production', async () => {
  await expect(startWechatStandin({ appId: 'wx', appSecret: 's' })).rejects.toThrow('the WeChat stand-in refuses to run when NODE_ENV=production');
});

test('the identity stand-in refuses to start when NODE_ENV is production', async () => {
  await expect(startIdentityStandin({ secretId: 'id', secretKey: 'key' })).rejects.toThrow('the identity stand-in refuses to run when NODE_ENV=production');
});
