import http from 'node:http';
import https from 'node:https';
import { AddressInfo, Socket } from 'node:net';

/**
 * A small HTTP(S) server speaking the parts of the Kubernetes API the reader
 * uses (discovery, list with label selectors and pagination, get, server-side
 * apply), with bearer-token authentication, 403 rules and slow responses.
 * Listens on 127.0.0.1 only.
 */

export interface FakeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

interface KindInfo {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

const KINDS: Record<string, KindInfo> = {
  Namespace: {
    group: '',
    version: 'v1',
    plural: 'namespaces',
    namespaced: false,
  },
  Pod: { group: '', version: 'v1', plural: 'pods', namespaced: true },
  Service: { group: '', version: 'v1', plural: 'services', namespaced: true },
  ConfigMap: {
    group: '',
    version: 'v1',
    plural: 'configmaps',
    namespaced: true,
  },
  Secret: { group: '', version: 'v1', plural: 'secrets', namespaced: true },
  Deployment: {
    group: 'apps',
    version: 'v1',
    plural: 'deployments',
    namespaced: true,
  },
  StatefulSet: {
    group: 'apps',
    version: 'v1',
    plural: 'statefulsets',
    namespaced: true,
  },
  DaemonSet: {
    group: 'apps',
    version: 'v1',
    plural: 'daemonsets',
    namespaced: true,
  },
  Job: { group: 'batch', version: 'v1', plural: 'jobs', namespaced: true },
  NetworkPolicy: {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'networkpolicies',
    namespaced: true,
  },
  Ingress: {
    group: 'networking.k8s.io',
    version: 'v1',
    plural: 'ingresses',
    namespaced: true,
  },
  Certificate: {
    group: 'cert-manager.io',
    version: 'v1',
    plural: 'certificates',
    namespaced: true,
  },
  Issuer: {
    group: 'cert-manager.io',
    version: 'v1',
    plural: 'issuers',
    namespaced: true,
  },
  ClusterIssuer: {
    group: 'cert-manager.io',
    version: 'v1',
    plural: 'clusterissuers',
    namespaced: false,
  },
  Gateway: {
    group: 'gateway.networking.k8s.io',
    version: 'v1',
    plural: 'gateways',
    namespaced: true,
  },
  TLSRoute: {
    group: 'gateway.networking.k8s.io',
    version: 'v1alpha2',
    plural: 'tlsroutes',
    namespaced: true,
  },
  PeerAuthentication: {
    group: 'security.istio.io',
    version: 'v1',
    plural: 'peerauthentications',
    namespaced: true,
  },
  DestinationRule: {
    group: 'networking.istio.io',
    version: 'v1',
    plural: 'destinationrules',
    namespaced: true,
  },
  PolicyReport: {
    group: 'wgpolicyk8s.io',
    version: 'v1alpha2',
    plural: 'policyreports',
    namespaced: true,
  },
};

const BUILT_IN_GROUPS = new Set(['', 'apps', 'batch', 'networking.k8s.io']);

export interface FakeKubeApiOptions {
  token: string;
  objects?: FakeObject[];
  /** CRD groups installed (built-in groups are always served). */
  crdGroups?: string[];
  /** `"<verb> <plural>"` or `"<verb> <plural> <namespace>"` answered with 403. */
  forbidden?: string[];
  /** Delay before every response, in ms. */
  delayMs?: number;
  /** Objects per page, to exercise `continue`. */
  pageSize?: number;
  /**
   * Names of objects whose fields another field manager owns: a
   * server-side apply without force=true answers 409 Conflict.
   */
  applyConflicts?: string[];
  tls?: { certPem: string; keyPem: string };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: string | undefined,
): boolean {
  if (!selector) return true;
  return selector.split(',').every(term => {
    const t = term.trim();
    const notEqual = t.match(/^([^!=\s]+)\s*!=\s*(.*)$/);
    if (notEqual) return labels?.[notEqual[1]] !== notEqual[2];
    const equal = t.match(/^([^!=\s]+)\s*==?\s*(.*)$/);
    if (equal) return labels?.[equal[1]] === equal[2];
    if (t.startsWith('!')) return labels?.[t.slice(1)] === undefined;
    return labels?.[t] !== undefined;
  });
}

function status(code: number, reason: string, message: string) {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

export class FakeKubeApi {
  readonly requests: RecordedRequest[] = [];
  readonly objects: FakeObject[];
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly pendingDelays = new Set<() => void>();
  private stopped = false;
  url = '';

  constructor(private readonly options: FakeKubeApiOptions) {
    this.objects = [...(options.objects ?? [])];
  }

  async start(): Promise<this> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch(error => {
        res.statusCode = 500;
        res.end(String(error));
      });
    };
    this.server = this.options.tls
      ? https.createServer(
          { cert: this.options.tls.certPem, key: this.options.tls.keyPem },
          handler,
        )
      : http.createServer(handler);
    this.server.on('connection', socket => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pendingDelays.forEach(cancel => cancel());
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>(resolve => this.server?.close(() => resolve()));
  }

  private served(group: string, version: string): KindInfo[] {
    if (
      !BUILT_IN_GROUPS.has(group) &&
      !this.options.crdGroups?.includes(group)
    ) {
      return [];
    }
    return Object.values(KINDS).filter(
      k => k.group === group && k.version === version,
    );
  }

  private kindOf(info: KindInfo): string {
    return Object.entries(KINDS).find(([, v]) => v === info)![0];
  }

  private send(res: http.ServerResponse, code: number, body: unknown) {
    res.statusCode = code;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
    });
    const body = await new Promise<string>(resolve => {
      let text = '';
      req.on('data', chunk => (text += chunk));
      req.on('end', () => resolve(text));
    });
    if (this.options.delayMs) {
      // Cancelled by stop(): no timer outlives the test.
      await new Promise<void>(resolve => {
        const timer = setTimeout(resolve, this.options.delayMs);
        this.pendingDelays.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (this.stopped) return;
    }
    if (req.headers.authorization !== `Bearer ${this.options.token}`) {
      this.send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }

    // /api/v1[/...] or /apis/<group>/<version>[/...]
    const parts = url.pathname
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api') {
      [group, version, rest] = ['', parts[1], parts.slice(2)];
    } else if (parts[0] === 'apis') {
      [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
    } else {
      this.send(
        res,
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    const kinds = this.served(group, version);
    if (kinds.length === 0) {
      this.send(
        res,
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    if (rest.length === 0) {
      this.send(res, 200, {
        kind: 'APIResourceList',
        groupVersion: group ? `${group}/${version}` : version,
        resources: kinds.map(k => ({
          name: k.plural,
          namespaced: k.namespaced,
          kind: this.kindOf(k),
          verbs: ['get', 'list'],
        })),
      });
      return;
    }

    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name] = rest;
    const info = kinds.find(k => k.plural === plural);
    if (!info) {
      this.send(
        res,
        404,
        status(
          404,
          'NotFound',
          'the server could not find the requested resource',
        ),
      );
      return;
    }
    const kind = this.kindOf(info);
    let verb = name === undefined ? 'list' : 'get';
    if (req.method === 'PATCH') verb = 'patch';
    const denied = this.options.forbidden?.some(rule => {
      const [v, p, ns] = rule.split(' ');
      return (
        v === verb && p === plural && (ns === undefined || ns === namespace)
      );
    });
    if (denied) {
      this.send(
        res,
        403,
        status(
          403,
          'Forbidden',
          `${plural} is forbidden: User "system:serviceaccount:backstage:portal" cannot ${verb} resource "${plural}" in API group "${group}"${
            namespace ? ` in the namespace "${namespace}"` : ''
          }`,
        ),
      );
      return;
    }

    const inScope = this.objects.filter(
      o =>
        o.kind === kind &&
        (namespace === undefined || o.metadata.namespace === namespace),
    );
    if (verb === 'patch') {
      if (
        name !== undefined &&
        this.options.applyConflicts?.includes(name) &&
        query.force !== 'true'
      ) {
        this.send(
          res,
          409,
          status(
            409,
            'Conflict',
            'Apply failed with 1 conflict: conflict with "someone-else": .results',
          ),
        );
        return;
      }
      const object = JSON.parse(body) as FakeObject;
      const index = this.objects.findIndex(
        o =>
          o.kind === kind &&
          o.metadata.namespace === namespace &&
          o.metadata.name === name,
      );
      if (index >= 0) this.objects.splice(index, 1);
      this.objects.push(object);
      this.send(res, index >= 0 ? 200 : 201, object);
      return;
    }
    if (name !== undefined) {
      const found = inScope.find(o => o.metadata.name === name);
      if (found) this.send(res, 200, found);
      else
        this.send(
          res,
          404,
          status(404, 'NotFound', `${plural} "${name}" not found`),
        );
      return;
    }
    const matching = inScope
      .filter(o => matchesSelector(o.metadata.labels, query.labelSelector))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const pageSize =
      this.options.pageSize ?? Number(query.limit ?? matching.length);
    const start = Number(query.continue ?? 0);
    const page = matching.slice(start, start + pageSize);
    const next =
      start + pageSize < matching.length ? String(start + pageSize) : undefined;
    // Like the real API server: list items carry no apiVersion/kind.
    const items = page.map(({ apiVersion: _a, kind: _k, ...item }) => item);
    this.send(res, 200, {
      kind: `${kind}List`,
      apiVersion: group ? `${group}/${version}` : version,
      metadata: { resourceVersion: '1', ...(next ? { continue: next } : {}) },
      items,
    });
  }
}
