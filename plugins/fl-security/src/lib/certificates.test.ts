import { daysLeftLabel, expiryLevel, soonestExpiry } from './certificates';
import { certificate } from '../__testUtils__/fixtures';

describe('certificates', () => {
  it('finds the certificate expiring first, expired ones included', () => {
    const a = certificate({ daysLeft: 40, subject: 'CN=a' });
    const b = certificate({ daysLeft: -2, subject: 'CN=b' });
    const c = certificate({ daysLeft: 3, subject: 'CN=c' });
    expect(soonestExpiry([a, b, c])).toBe(b);
    expect(soonestExpiry([])).toBeUndefined();
  });

  it('grades days left with the engine thresholds (30 warn, 14 fail)', () => {
    expect(expiryLevel(-1)).toBe('expired');
    expect(expiryLevel(0)).toBe('critical');
    expect(expiryLevel(13)).toBe('critical');
    expect(expiryLevel(14)).toBe('warning');
    expect(expiryLevel(29)).toBe('warning');
    expect(expiryLevel(30)).toBe('ok');
  });

  it('words days left', () => {
    expect(daysLeftLabel(1)).toBe('1 day left');
    expect(daysLeftLabel(20)).toBe('20 days left');
    expect(daysLeftLabel(-1)).toBe('expired 1 day ago');
    expect(daysLeftLabel(-5)).toBe('expired 5 days ago');
  });
});
