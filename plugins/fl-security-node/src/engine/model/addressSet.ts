/**
 * Sets of IP addresses (IPv4 and IPv6 kept apart), for NetworkPolicy
 * ipBlocks as the API server and CNIs read them: the union of every block's
 * `cidr` minus its `except` entries. Answers what one literal CIDR cannot:
 * `0.0.0.0/1` + `128.0.0.0/1` is every IPv4 address, `0.0.0.0/0` except
 * `10.0.0.0/8` is not.
 *
 * Parsing and formatting come from ip-address: strict (no leading zeros,
 * no zones, prefix within range), CommonJS, exact BigInt bounds of a
 * subnet. cidr-tools has set operations but ships as ESM only, which the
 * package's CommonJS build and jest cannot require; ipaddr.js parses
 * legacy IPv4 forms (`0x7f.1`, octal) that Kubernetes rejects and has no
 * BigInt range arithmetic. The set arithmetic itself is interval merging
 * on those bounds.
 */
import { Address4, Address6 } from 'ip-address';

export type Family = 4 | 6;

export interface AddressRange {
  family: Family;
  /** First and last address, inclusive. */
  first: bigint;
  last: bigint;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
const MAX: Record<Family, bigint> = {
  4: (1n << 32n) - 1n,
  6: (1n << 128n) - 1n,
};

export type CidrParse =
  | { ok: true; range: AddressRange }
  | { ok: false; error: string };

/** `10.0.0.0/8`, `2001:db8::/32`, or a bare address (/32, /128). Host bits are ignored, as Kubernetes does. */
export function parseCidrRange(text: string): CidrParse {
  if (typeof text !== 'string' || text.trim() === '')
    return { ok: false, error: 'empty CIDR' };
  const value = text.trim();
  if (value.includes('%'))
    return { ok: false, error: `"${value}" has a zone index` };
  try {
    const v6 = value.includes(':');
    if (value.includes('/') && !/\/\d{1,3}$/.test(value))
      return { ok: false, error: `"${value}" has an invalid prefix length` };
    const address = v6 ? new Address6(value) : new Address4(value);
    const family: Family = v6 ? 6 : 4;
    return {
      ok: true,
      range: {
        family,
        first: address.startAddress().bigInt(),
        last: address.endAddress().bigInt(),
      },
    };
  } catch (e) {
    return {
      ok: false,
      error: `"${value}" is not a CIDR (${
        e instanceof Error ? e.message : 'invalid'
      })`,
    };
  }
}

function compareRanges(a: AddressRange, b: AddressRange): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.first === b.first) return 0;
  return a.first < b.first ? -1 : 1;
}

function normalize(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort(compareRanges);
  const out: AddressRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && last.family === range.family && range.first <= last.last + 1n) {
      if (range.last > last.last) last.last = range.last;
    } else out.push({ ...range });
  }
  return out;
}

function subtract(
  from: readonly AddressRange[],
  minus: readonly AddressRange[],
): AddressRange[] {
  const out: AddressRange[] = [];
  for (const range of from) {
    let pieces = [range];
    for (const cut of minus) {
      if (cut.family !== range.family) continue;
      pieces = pieces.flatMap(p => {
        if (cut.last < p.first || cut.first > p.last) return [p];
        const kept: AddressRange[] = [];
        if (cut.first > p.first)
          kept.push({ family: p.family, first: p.first, last: cut.first - 1n });
        if (cut.last < p.last)
          kept.push({ family: p.family, first: cut.last + 1n, last: p.last });
        return kept;
      });
    }
    out.push(...pieces);
  }
  return normalize(out);
}

function formatAddress(family: Family, value: bigint): string {
  return family === 4
    ? Address4.fromBigInt(value).correctForm()
    : Address6.fromBigInt(value).correctForm();
}

/** The smallest list of CIDRs covering exactly one range. */
function rangeToCidrs(range: AddressRange): string[] {
  const bits = BITS[range.family];
  const out: string[] = [];
  let first = range.first;
  while (first <= range.last) {
    let size = 1n;
    let prefix = bits;
    // Grow the block while it stays aligned at `first` and inside the range.
    while (prefix > 0) {
      const bigger = size << 1n;
      if (first % bigger !== 0n || first + bigger - 1n > range.last) break;
      size = bigger;
      prefix -= 1;
    }
    out.push(`${formatAddress(range.family, first)}/${prefix}`);
    first += size;
  }
  return out;
}

/** An immutable set of addresses. */
export class AddressSet {
  private constructor(readonly ranges: readonly AddressRange[]) {}

  static readonly EMPTY = new AddressSet([]);

  static of(ranges: readonly AddressRange[]): AddressSet {
    return new AddressSet(normalize(ranges));
  }

  /** Every address of a family (`0.0.0.0/0` or `::/0`). */
  static all(family: Family): AddressSet {
    return new AddressSet([{ family, first: 0n, last: MAX[family] }]);
  }

  /** The union of CIDRs; unreadable entries are returned as errors, never dropped silently. */
  static fromCidrs(texts: readonly string[]): {
    set: AddressSet;
    errors: string[];
  } {
    const ranges: AddressRange[] = [];
    const errors: string[] = [];
    for (const text of texts) {
      const parsed = parseCidrRange(text);
      if (parsed.ok) ranges.push(parsed.range);
      else errors.push(parsed.error);
    }
    return { set: AddressSet.of(ranges), errors };
  }

  union(other: AddressSet): AddressSet {
    return AddressSet.of([...this.ranges, ...other.ranges]);
  }

  except(other: AddressSet): AddressSet {
    return new AddressSet(subtract(this.ranges, other.ranges));
  }

  intersect(other: AddressSet): AddressSet {
    return this.except(this.except(other));
  }

  isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** True when every address of `family` is in the set. */
  coversAll(family: Family): boolean {
    return AddressSet.all(family).except(this).isEmpty();
  }

  /** True when every address of `other` is in this set. */
  covers(other: AddressSet): boolean {
    return other.except(this).isEmpty();
  }

  /** Number of addresses (for messages: "2^31 addresses beyond the allowed set"). */
  size(family: Family): bigint {
    return this.ranges
      .filter(r => r.family === family)
      .reduce((n, r) => n + (r.last - r.first + 1n), 0n);
  }

  toCidrs(): string[] {
    return this.ranges.flatMap(rangeToCidrs);
  }
}

export interface IpBlockLike {
  cidr?: unknown;
  except?: unknown;
}

export interface IpBlockSet {
  set: AddressSet;
  /** Unreadable cidr/except values: the set is then a lower bound of what is allowed. */
  errors: string[];
}

/**
 * The addresses a list of NetworkPolicy ipBlocks admits: each block's cidr
 * minus its excepts, then the union. A block whose cidr cannot be read admits
 * nothing here and is reported; an unreadable `except` is reported and not
 * subtracted, so the set never shrinks from bad input.
 */
export function ipBlocksSet(blocks: readonly IpBlockLike[]): IpBlockSet {
  const errors: string[] = [];
  let set = AddressSet.EMPTY;
  for (const block of blocks) {
    if (typeof block?.cidr !== 'string') {
      errors.push('an ipBlock has no cidr');
      continue;
    }
    const base = parseCidrRange(block.cidr);
    if (!base.ok) {
      errors.push(base.error);
      continue;
    }
    const excepts = Array.isArray(block.except) ? block.except : [];
    const cut = AddressSet.fromCidrs(
      excepts.filter((e): e is string => typeof e === 'string'),
    );
    errors.push(...cut.errors);
    if (excepts.some(e => typeof e !== 'string'))
      errors.push(`an except entry of ${block.cidr} is not a string`);
    set = set.union(AddressSet.of([base.range]).except(cut.set));
  }
  return { set, errors };
}
