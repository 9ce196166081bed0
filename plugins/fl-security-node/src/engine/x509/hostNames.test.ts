import { dnsNameMatches, isValidHostName, wildcardAllowed } from './hostNames';

describe('dnsNameMatches', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['Example.COM', 'example.com', true],
    ['example.com.', 'EXAMPLE.com', true],
    ['*.example.com', 'fl.example.com', true],
    ['*.example.com', 'FL.Example.Com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['f*.example.com', 'fl.example.com', false],
    ['*fl.example.com', 'xfl.example.com', false],
    ['fl.*.example.com', 'fl.x.example.com', false],
    ['xn--*-1b3c148a.example.com', 'xn--bliss-1b3c148a.example.com', false],
    ['*', 'com', false],
    ['*.com', 'example.com', false],
    ['*.co.uk', 'example.co.uk', false],
    ['*.s3.amazonaws.com', 'bucket.s3.amazonaws.com', false],
    ['*.example.co.uk', 'fl.example.co.uk', true],
    ['*.fl.svc', 'aggregator.fl.svc', true],
    ['*.fl.svc.cluster.local', 'aggregator.fl.svc.cluster.local', true],
    ['foo_bar.example.com', 'foo_bar.example.com', false],
    ['8.8.8.8', '8.8.8.8', false],
  ])('%s covers %s: %s', (pattern, host, expected) => {
    expect(dnsNameMatches(pattern, host)).toBe(expected);
  });
});

describe('wildcardAllowed', () => {
  it('names the public suffix it refuses', () => {
    expect(wildcardAllowed('*.co.uk')).toEqual({
      ok: false,
      reason: '"*.co.uk" is a wildcard over the public suffix "co.uk"',
    });
    expect(wildcardAllowed('*.com')).toEqual({
      ok: false,
      reason: '"*.com" covers a whole top-level domain',
    });
    expect(wildcardAllowed('*.example.com')).toEqual({ ok: true });
  });
});

describe('isValidHostName', () => {
  it.each([
    ['aggregator.fl.svc', true],
    ['a-b.example', true],
    ['-a.example', false],
    ['a..b', false],
    ['', false],
    ['1.2.3.4', false],
    [`${'a'.repeat(64)}.example`, false],
    ['é.example', false],
  ])('%s: %s', (name, expected) => {
    expect(isValidHostName(name)).toBe(expected);
  });
});
