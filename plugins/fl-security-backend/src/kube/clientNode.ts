/**
 * The one place that loads @kubernetes/client-node. It is ESM-only, so the
 * CommonJS build loads it with a dynamic import (kept as `import()` by the
 * Backstage build; the package's jest transform turns it into `require`).
 */
export type ClientNode = typeof import('@kubernetes/client-node');

let loaded: Promise<ClientNode> | undefined;

export function loadClientNode(): Promise<ClientNode> {
  loaded ??= import('@kubernetes/client-node');
  return loaded;
}
