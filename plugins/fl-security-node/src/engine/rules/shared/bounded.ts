/**
 * Messages name a few items and count the rest: a Secret may hold 13,700
 * certificates and a federation a thousand participants, and a message is
 * read by a person (and stored with every report).
 */

/** Items a message names before it counts the rest. */
export const NAMED_ITEMS = 3;

const COUNT = new Intl.NumberFormat('en-US');

/** `a, b, c and 12,345 more` (duplicates named once). */
export function someOf(
  items: Iterable<string>,
  limit = NAMED_ITEMS,
  separator = ', ',
): string {
  const unique = [...new Set(items)];
  const shown = unique.slice(0, limit).join(separator);
  const rest = unique.length - limit;
  return rest > 0 ? `${shown} and ${COUNT.format(rest)} more` : shown;
}
