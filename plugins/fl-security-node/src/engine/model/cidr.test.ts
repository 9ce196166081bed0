import { cidrContains, isAllAddresses, parseCidr } from './cidr';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(text);
  return parsed;
};

describe('cidr', () => {
  it('parses IPv4, IPv6 and bare addresses, rejecting garbage', () => {
    expect(cidr('10.1.2.3/8').network).toBe(cidr('10.0.0.0/8').network);
    expect(cidr('2001:db8::1').prefix).toBe(128);
    expect(cidr('::ffff:10.0.0.1/128').family).toBe(6);
    for (const bad of [
      '10.0.0.0/33',
      '300.0.0.0/8',
      'example.com/24',
      '10.0.0.0/8/1',
      '10.0.0.0/x',
    ]) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });

  it('tests containment within one family', () => {
    expect(cidrContains(cidr('10.0.0.0/8'), cidr('10.20.0.0/16'))).toBe(true);
    expect(cidrContains(cidr('10.20.0.0/16'), cidr('10.0.0.0/8'))).toBe(false);
    expect(cidrContains(cidr('10.0.0.0/8'), cidr('11.0.0.0/16'))).toBe(false);
    expect(cidrContains(cidr('2001:db8::/32'), cidr('2001:db8:1::/48'))).toBe(
      true,
    );
    expect(cidrContains(cidr('0.0.0.0/0'), cidr('::/0'))).toBe(false);
  });

  it('recognises every-address blocks', () => {
    expect(isAllAddresses(cidr('0.0.0.0/0'))).toBe(true);
    expect(isAllAddresses(cidr('::/0'))).toBe(true);
    expect(isAllAddresses(cidr('0.0.0.0/1'))).toBe(false);
  });
});
