import {
  ComplianceReport,
  summarize,
} from '@fl-security/plugin-fl-security-common';
import { containsSecretMaterial } from './secretGuard';

function reportWithMessages(messages: string[]): ComplianceReport {
  const results = messages.map((message, i) => ({
    ruleId: 'CERT-01',
    title: 'Certificates are issued and ready',
    area: 'tls',
    severity: 'high',
    status: 'pass',
    message,
    resource: { kind: 'Secret', namespace: 'fl-agg', name: `s${i}` },
  })) as unknown as ComplianceReport['results'];
  return {
    federation: 'fed',
    generatedAt: '2026-01-01T00:00:00.000Z',
    results,
    summary: summarize(results),
    certificates: [],
    reachability: [],
    errors: [],
  };
}

/** Deterministic pseudo-random integers (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

const BASE64 =
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
const OTHER = ' -_.:,"\'\n\\é';

describe('containsSecretMaterial', () => {
  it('finds a value anywhere: alone, inside longer base64 runs, next to JSON escapes', () => {
    const value = 'c2VjcmV0LWtleS1tYXRlcmlhbC0xMjM0NTY3OA==';
    for (const message of [
      value,
      `key ${value} leaked`,
      `AAAA${value}BBBB`,
      `+/=${value}`,
      `"quoted\\n${value}"`,
      `${value.slice(0, 20)} ${value.slice(20)} ${value}`,
    ]) {
      expect(
        containsSecretMaterial(reportWithMessages(['ok', message]), [value]),
      ).toBe(true);
    }
  });

  it('does not flag reports without the values', () => {
    const value = 'c2VjcmV0LWtleS1tYXRlcmlhbC0xMjM0NTY3OA==';
    const report = reportWithMessages([
      value.slice(0, 39),
      `${value.slice(0, 20)} ${value.slice(20)}`,
      value.slice(1),
    ]);
    expect(containsSecretMaterial(report, [value])).toBe(false);
  });

  it('checks values with other characters, and short ones, as they are', () => {
    expect(
      containsSecretMaterial(reportWithMessages(['a-b_c.d key']), ['a-b_c.d']),
    ).toBe(true);
    expect(containsSecretMaterial(reportWithMessages(['abc']), ['abcd'])).toBe(
      false,
    );
  });

  it('flags PEM private key armour', () => {
    expect(
      containsSecretMaterial(
        reportWithMessages(['-----BEGIN EC PRIVATE KEY-----']),
        [],
      ),
    ).toBe(true);
  });

  it('answers exactly like searching the text for every value', () => {
    const next = random(42);
    const outcomes = new Set<boolean>();
    const pick = (alphabet: string, length: number) =>
      Array.from({ length }, () => alphabet[next(alphabet.length)]).join('');
    for (let round = 0; round < 300; round++) {
      // Mostly base64 values; some with URL-safe or other characters.
      const alphabets = [BASE64 + OTHER, `${BASE64}-_.`, BASE64, BASE64];
      const values = Array.from({ length: 1 + next(6) }, () =>
        pick(alphabets[next(alphabets.length)], 12 + next(40)),
      );
      const messages = Array.from({ length: 1 + next(4) }, () => {
        const parts = Array.from({ length: next(6) }, () => {
          const kind = next(4);
          if (kind === 0) {
            // A value, or a piece of one.
            const value = values[next(values.length)];
            const from = next(3) === 0 ? next(value.length) : 0;
            return value.slice(from);
          }
          return pick(kind === 1 ? OTHER : BASE64, next(30));
        });
        return parts.join('');
      });
      const report = reportWithMessages(messages);
      const text = JSON.stringify(report);
      const expected = values.some(value => text.includes(value));
      expect({ round, found: containsSecretMaterial(report, values) }).toEqual({
        round,
        found: expected,
      });
      outcomes.add(expected);
    }
    // Both answers occur, so the comparison means something.
    expect([...outcomes].sort()).toEqual([false, true]);
  });
});
