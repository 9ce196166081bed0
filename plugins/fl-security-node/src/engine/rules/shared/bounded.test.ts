import { someOf } from './bounded';

describe('someOf', () => {
  it('names every item up to the limit', () => {
    expect(someOf([])).toBe('');
    expect(someOf(['a', 'b', 'c'])).toBe('a, b, c');
  });

  it('names a few and counts the rest, once per distinct item', () => {
    expect(someOf(['a', 'b', 'c', 'd', 'a'])).toBe('a, b, c and 1 more');
    const many = Array.from({ length: 13_700 }, (_, i) => `tls.crt[${i}]`);
    expect(someOf(many, 2, '; ')).toBe(
      'tls.crt[0]; tls.crt[1] and 13,698 more',
    );
  });
});
