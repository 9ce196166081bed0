import { parseGoDuration } from './durations';

describe('parseGoDuration', () => {
  it('parses the forms cert-manager accepts', () => {
    expect(parseGoDuration('2160h')).toBe(2160 * 3_600_000);
    expect(parseGoDuration('720h0m0s')).toBe(720 * 3_600_000);
    expect(parseGoDuration('1h30m')).toBe(90 * 60_000);
    expect(parseGoDuration('1.5h')).toBe(90 * 60_000);
    expect(parseGoDuration('500ms')).toBe(500);
  });

  it('rejects anything else', () => {
    for (const bad of ['90d', '', 'h', '10', '1h 30m', '-1h'])
      expect(parseGoDuration(bad)).toBeUndefined();
  });
});
