/** IPv4/IPv6 CIDR arithmetic for NetworkPolicy ipBlocks and declared sources. */
import { isIP } from 'node:net';

export interface Cidr {
  family: 4 | 6;
  /** Network address as an integer (host bits cleared). */
  network: bigint;
  prefix: number;
  text: string;
}

function ipv4ToBigInt(address: string): bigint {
  return address
    .split('.')
    .reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(address: string): bigint {
  let text = address;
  // An embedded IPv4 tail (::ffff:10.0.0.1) becomes two hextets.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4ToBigInt(tail);
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(
      v4 & 0xffffn
    ).toString(16)}`;
  }
  const [head, rest] = text.split('::');
  const headParts = head ? head.split(':') : [];
  const restParts = rest !== undefined && rest !== '' ? rest.split(':') : [];
  const missing = 8 - headParts.length - restParts.length;
  const parts =
    rest === undefined
      ? headParts
      : [...headParts, ...Array(missing).fill('0'), ...restParts];
  return parts.reduce(
    (acc, part) => (acc << 16n) | BigInt(parseInt(part || '0', 16)),
    0n,
  );
}

/** Parses `10.0.0.0/8`, `::/0` or a bare address (as /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const trimmed = text.trim();
  const [address, prefixText, extra] = trimmed.split('/');
  if (extra !== undefined) return undefined;
  const family = isIP(address);
  if (family !== 4 && family !== 6) return undefined;
  const bits = family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))
    return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return undefined;
  const value = family === 4 ? ipv4ToBigInt(address) : ipv6ToBigInt(address);
  const hostBits = BigInt(bits - prefix);
  const network = (value >> hostBits) << hostBits;
  return { family, network, prefix, text: trimmed };
}

/** True when every address of `inner` is inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix)
    return false;
  const bits = outer.family === 4 ? 32 : 128;
  const hostBits = BigInt(bits - outer.prefix);
  return inner.network >> hostBits === outer.network >> hostBits;
}

/** 0.0.0.0/0 or ::/0: every address of the family. */
export function isAllAddresses(cidr: Cidr): boolean {
  return cidr.prefix === 0;
}
