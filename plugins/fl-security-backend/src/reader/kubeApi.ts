import {
  KubeConnection,
  KubeResponse,
  ResponseTooLargeError,
} from '../kube/connection';
import { SnapshotGap } from './engineTypes';
import { Limiter } from './limit';
import { groupVersion, ResourceKind } from './resourceKinds';
import { ScanBudget, ScanBudgetExceededError } from './scanBudget';

/** Longest API server message kept in a gap reason. */
const MAX_REASON = 300;

/** The API server's message of a failed request, whitespace-folded and cut. */
export function statusMessage(response: KubeResponse): string {
  const message =
    typeof response.body === 'object' && response.body
      ? String(response.body.message ?? '')
      : String(response.body ?? '');
  const text = message.replace(/\s+/g, ' ').trim();
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON)}…` : text;
}

/** A gap for a failed request: 403 names the missing permission. */
export function requestFailure(
  response: KubeResponse,
  kind: ResourceKind,
  version: string,
  verb: 'list' | 'get',
  namespace?: string,
  name?: string,
): SnapshotGap {
  const resource = name ? `${kind.plural}/${name}` : kind.plural;
  const scope = namespace ? ` in ${namespace}` : '';
  const base = {
    kind: kind.kind,
    apiVersion: groupVersion(kind.group, version),
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
  };
  if (response.status === 403) {
    return {
      ...base,
      status: 'error',
      reason: `forbidden: ${statusMessage(response)}`,
      missingPermission: `${verb} ${resource}${scope}${
        kind.group ? ` (${kind.group})` : ''
      }`,
    };
  }
  return {
    ...base,
    status: 'error',
    reason: `${verb} ${resource}${scope} failed with HTTP ${
      response.status
    }: ${statusMessage(response)}`,
  };
}

/**
 * The transport of one cluster read: GET requests through the cluster's
 * request limiter (shared by every scan of that cluster), aborted with the
 * read, charged to the scan's budget (a body larger than what is left of it
 * is refused while it streams in). Rejected credentials fail the whole
 * cluster, not each kind.
 */
export class ClusterApi {
  constructor(
    private readonly connection: KubeConnection,
    private readonly signal: AbortSignal,
    private readonly limit: Limiter,
    private readonly budget: ScanBudget,
  ) {}

  get cluster(): string {
    return this.connection.cluster;
  }

  async get(
    path: string,
    query?: Record<string, string | undefined>,
  ): Promise<KubeResponse> {
    this.budget.chargePage();
    const response = await this.limit(() => {
      // Aborted while waiting for a slot: no request.
      this.signal.throwIfAborted();
      const remaining = this.budget.remainingBytes();
      return this.connection
        .request({ path, query, signal: this.signal, maxBytes: remaining })
        .catch(error => {
          // (A smaller limit is the connection's own cap on one response.)
          if (
            error instanceof ResponseTooLargeError &&
            error.limit >= remaining
          ) {
            throw new ScanBudgetExceededError(
              'maxBytes',
              this.budget.limits.maxBytes,
            );
          }
          throw error;
        });
    });
    this.budget.chargeBytes(response.bytes);
    if (response.status === 401) {
      throw new Error('the API server rejected the credentials (HTTP 401)');
    }
    return response;
  }
}
