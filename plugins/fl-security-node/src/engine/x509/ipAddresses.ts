/**
 * IP literals in canonical byte form, so `2001:db8::10` and
 * `2001:DB8:0:0:0:0:0:10` compare equal (X509_check_ip compares bytes).
 * Parsing is strict: dotted-quad decimal IPv4 without leading zeros, IPv6
 * per RFC 4291 (no zone). Anything else is not an IP literal.
 */
import { isIP } from 'node:net';
import { Address4, Address6 } from 'ip-address';

export function ipBytes(text: string): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  const family = isIP(text);
  try {
    if (family === 4) {
      if (!/^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$/.test(text))
        return undefined;
      return Uint8Array.from(new Address4(text).toArray());
    }
    if (family === 6) {
      if (text.includes('%') || text.includes('/')) return undefined;
      const value = new Address6(text).bigInt();
      return Uint8Array.from(
        Buffer.from(value.toString(16).padStart(32, '0'), 'hex'),
      );
    }
  } catch {
    return undefined;
  }
  return undefined;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Text of IP bytes for messages: v4 dotted, v6 RFC 5952 (via ip-address). */
export function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  if (bytes.length === 16) {
    const hex = Buffer.from(bytes).toString('hex');
    return Address6.fromBigInt(BigInt(`0x${hex}`)).correctForm();
  }
  return `invalid IP (${bytes.length} bytes)`;
}
