import { parseTc3Authorization, tc3Authorization, tc3Signature } from '../../bff/src/platforms/tc3';

// The worked example of Tencent Cloud's "Signature v3" document (CVM DescribeInstances).
const example = {
  request: {
    method: 'POST',
    headers: { 'Content-Type': 'application/json; charset=utf-8', Host: 'cvm.tencentcloudapi.com' },
    payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  },
  credential: { secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE', secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', service: 'cvm', timestamp: 1551113065 },
};

test('the signer reproduces the signature of the documented example', () => {
  expect(tc3Signature(example.request, example.credential)).toEqual({
    signature: '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    signedHeaders: 'content-type;host',
    scope: '2019-02-25/cvm/tc3_request',
  });
});

test('the Authorization header has the documented shape and parses back', () => {
  const header = tc3Authorization(example.request, example.credential);

  expect(header).toBe(
    'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
  );
  expect(parseTc3Authorization(header)).toEqual({
    secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
    date: '2019-02-25',
    service: 'cvm',
    signedHeaders: ['content-type', 'host'],
    signature: '72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
  });
});

test('the credential date is the UTC date, not Beijing time', () => {
  // 2019-02-25 16:44:25 UTC is already 2019-02-26 in Beijing.
  expect(tc3Signature(example.request, { ...example.credential, timestamp: 1551113065 }).scope).toBe('2019-02-25/cvm/tc3_request');
});

test('a header that is not TC3 does not parse', () => {
  expect(parseTc3Authorization('Bearer abc')).toBeUndefined();
  expect(parseTc3Authorization(undefined)).toBeUndefined();
});
