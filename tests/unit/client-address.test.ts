/** The address rate limits are keyed by: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64. */
import type { Context } from 'koa';
import { clientAddress } from '../../bff/src/http/rate-limit';

const of = (ip: string) => clientAddress({ ip } as Context);

it.each([
  ['203.0.113.7', '203.0.113.7'],
  ['::ffff:203.0.113.7', '203.0.113.7'],
  ['2001:db8:aa:1::5', '2001:db8:aa:1::/64'],
  ['2001:0db8:00aa:0001:ffff:1:2:3', '2001:db8:aa:1::/64'],
  ['2001:db8::1', '2001:db8:0:0::/64'],
  ['::1', '0:0:0:0::/64'],
])('%s counts as %s', (ip, key) => {
  expect(of(ip)).toBe(key);
});

it('two addresses of one IPv6 /64 share a count; neighbouring /64s do not', () => {
  expect(of('2001:db8:aa:1::5')).toBe(of('2001:db8:aa:1:9:9:9:9'));
  expect(of('2001:db8:aa:1::5')).not.toBe(of('2001:db8:aa:2::5'));
});
