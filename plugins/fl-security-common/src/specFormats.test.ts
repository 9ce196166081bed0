import {
  checkCidr,
  checkDuration,
  checkHostname,
  checkHttpsOrigin,
  checkImageDigest,
  checkImageReference,
  checkPlainText,
  parseDurationSeconds,
} from './specFormats';

describe('spec formats', () => {
  it.each([
    ['fl.example.com', undefined],
    ['a.b', undefined],
    ['FL.example.com', 'must be lowercase'],
    ['fl..example.com', 'must not contain empty labels ("..")'],
    ['fl_x.example.com', 'must consist of DNS labels (lowercase letters, digits, "-")'],
    [`${'a'.repeat(64)}.example.com`, 'must not have a label longer than 63 characters'],
    ['2001:db8::1', 'must be a DNS name, not an IP address'],
  ])('hostname %s', (value, expected) => {
    expect(checkHostname(value)).toBe(expected);
  });

  it.each([
    ['203.0.113.0/24', undefined],
    ['10.0.0.0/8', undefined],
    ['192.168.1.7/32', undefined],
    ['2001:db8::/32', undefined],
    ['fd00::/8', undefined],
    ['2001:db8::1/32', 'must be a network address (host bits set to zero)'],
    ['::/0', 'must not allow every address (/0)'],
    ['256.0.0.0/8', 'must be a CIDR with a valid IPv4 or IPv6 address'],
    ['10.0.0.0/33', 'must have a prefix length of at most 32'],
    ['010.0.0.0/8', 'must be a CIDR with a valid IPv4 or IPv6 address'],
  ])('cidr %s', (value, expected) => {
    expect(checkCidr(value)).toBe(expected);
  });

  it.each([
    ['2160h', 2160 * 3600],
    ['1h30m', 5400],
    ['90m', 5400],
    ['45s', 45],
    ['', undefined],
    ['1d', undefined],
    ['-1h', undefined],
  ])('duration %s', (value, seconds) => {
    expect(parseDurationSeconds(value)).toBe(seconds);
    expect(checkDuration(value) === undefined).toBe(seconds !== undefined);
  });

  it.each([
    ['flwr/superlink:1.42.0', undefined],
    ['registry.example.com:5000/team/superlink:1.42.0-py3.11', undefined],
    [`flwr/superlink@sha256:${'a'.repeat(64)}`, undefined],
    [`flwr/superlink:1.42.0@sha256:${'b'.repeat(64)}`, undefined],
    ['flwr/superlink', 'must be pinned with a tag or digest'],
    ['flwr/superlink:latest', 'must be pinned ("latest" is not a version)'],
    ['flwr/superlink@md5:abc', 'must use a sha256 digest after "@"'],
    ['Flwr/Superlink:1', 'must be a container image reference such as flwr/superlink:1.42.0'],
  ])('image %s', (value, expected) => {
    expect(checkImageReference(value)).toBe(expected);
  });

  it.each([
    [`sha256:${'0123456789abcdef'.repeat(4)}`, undefined],
    [`sha256:${'A'.repeat(64)}`, 'uppercase hex'],
    [`sha256:${'a'.repeat(63)}`, 'too short'],
    [`sha256:${'a'.repeat(65)}`, 'too long'],
    [`sha512:${'a'.repeat(128)}`, 'another algorithm'],
    [`${'a'.repeat(64)}`, 'no algorithm'],
    [`@sha256:${'a'.repeat(64)}`, 'a leading @'],
    [`flwr/superlink@sha256:${'a'.repeat(64)}`, 'a whole reference'],
    [`sha256:${'a'.repeat(64)}\n`, 'a trailing newline'],
    [` sha256:${'a'.repeat(64)}`, 'padding'],
    ['', 'empty'],
  ])('image digest %s (%s)', (value, why) => {
    expect(checkImageDigest(value)).toBe(
      why === undefined ? undefined : 'must be a digest: sha256: followed by 64 lowercase hex digits',
    );
  });

  it.each([
    ['https://vault.example.com:8200', undefined],
    ['https://10.0.0.5:8200', undefined],
    ['https://vault.example.com/', undefined],
    ['https://vault.example.com/v1', 'must be an https:// URL with a host and optional port, without path'],
    ['https://vault.example.com:99999', 'must use a port between 1 and 65535'],
  ])('https origin %s', (value, expected) => {
    expect(checkHttpsOrigin(value)).toBe(expected);
  });

  it('rejects whitespace padding and accepts plain text', () => {
    expect(checkPlainText(' demo')).toBe('must not start or end with whitespace');
    expect(checkPlainText('demo federation CA')).toBeUndefined();
  });
});
