import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { ClusterSource } from '../config/clusters';
import { loadClientNode } from './clientNode';

/** A Kubernetes API response: status code and parsed JSON (or raw text). */
export interface KubeResponse {
  status: number;
  body: any;
  /** Size of the response body as received. */
  bytes: number;
}

export interface KubeRequest {
  method?: 'GET' | 'PATCH';
  /** API path, e.g. `/api/v1/namespaces/x/pods`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: string;
  contentType?: string;
  signal: AbortSignal;
  /** Refuse (reject with ResponseTooLargeError) a larger body; at most 64 MiB. */
  maxBytes?: number;
}

/** A response body larger than the request allowed, refused while it streamed in. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response exceeds ${limit} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

/** Authenticated access to one cluster's API server. */
export interface KubeConnection {
  readonly cluster: string;
  request(request: KubeRequest): Promise<KubeResponse>;
  close(): void;
}

/** Larger list responses are refused rather than buffered without bound. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

const SERVICE_ACCOUNT_TOKEN_PATH =
  '/var/run/secrets/kubernetes.io/serviceaccount/token';

async function kubeConfigFor(cluster: string, source: ClusterSource) {
  const { KubeConfig } = await loadClientNode();
  const kc = new KubeConfig();
  switch (source.type) {
    case 'kubeconfig':
      kc.loadFromFile(source.path);
      kc.setCurrentContext(source.context);
      break;
    case 'inCluster':
      kc.loadFromCluster();
      break;
    case 'serviceAccount': {
      // Like the Kubernetes plugin: no token configured means the pod's own.
      const token =
        source.token ??
        (
          await readFile(SERVICE_ACCOUNT_TOKEN_PATH, 'utf8').catch(() => {
            throw new Error(
              'no serviceAccountToken configured and no pod service account token found',
            );
          })
        ).trim();
      kc.loadFromOptions({
        clusters: [
          {
            name: cluster,
            server: source.url,
            caData: source.caData,
            caFile: source.caFile,
            skipTLSVerify: source.skipTLSVerify,
          },
        ],
        users: [{ name: cluster, token }],
        contexts: [{ name: cluster, cluster: cluster, user: cluster }],
        currentContext: cluster,
      });
      break;
    }
    default:
      throw new Error('unknown cluster source');
  }
  return kc;
}

/**
 * client-node's agent opens a new connection for every request (no
 * keep-alive): a scan makes thousands of requests, each paying a TLS
 * handshake on both ends. The same settings on a keep-alive agent reuse
 * connections; close() destroys them. Proxy agents are left as they are.
 */
function keepAlive(agent: http.Agent | undefined): http.Agent | undefined {
  if (agent?.constructor !== https.Agent && agent?.constructor !== http.Agent) {
    return agent;
  }
  const settings = (agent as http.Agent & { options: http.AgentOptions })
    .options;
  return agent instanceof https.Agent
    ? new https.Agent({ ...settings, keepAlive: true })
    : new http.Agent({ ...settings, keepAlive: true });
}

/**
 * Opens a connection: @kubernetes/client-node resolves TLS (CA, client
 * certificates, skipTLSVerify) and credentials (tokens, exec plugins); the
 * requests themselves go through node:https so every call can be aborted and
 * bodies stay plain JSON, exactly as the API server sent them.
 */
export async function connectCluster(
  cluster: string,
  source: ClusterSource,
): Promise<KubeConnection> {
  const kc = await kubeConfigFor(cluster, source);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new Error('no API server URL');
  const options: https.RequestOptions = {};
  // Throws for plain http without skipTLSVerify: fail closed.
  await kc.applyToHTTPSOptions(options);
  const base = new URL(server);
  const transport = base.protocol === 'http:' ? http : https;
  const agent = keepAlive(options.agent as http.Agent | undefined);

  return {
    cluster,
    close: () => agent?.destroy(),
    request: ({
      method = 'GET',
      path,
      query,
      body,
      contentType,
      signal,
      maxBytes,
    }) => {
      const limit = Math.min(
        maxBytes ?? MAX_RESPONSE_BYTES,
        MAX_RESPONSE_BYTES,
      );
      const url = new URL(base.pathname.replace(/\/$/, '') + path, base);
      for (const [key, value] of Object.entries(query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, value);
      }
      const headers: http.OutgoingHttpHeaders = {
        ...(options.headers as http.OutgoingHttpHeaders | undefined),
        accept: 'application/json',
      };
      if (body !== undefined) {
        headers['content-type'] = contentType ?? 'application/json';
      }
      return new Promise<KubeResponse>((resolve, reject) => {
        const req = transport.request(
          url,
          { method, agent, auth: options.auth, headers, signal },
          res => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > limit) {
                // Settle first: a destroyed response may still emit 'end',
                // and a cut body must never pass for a complete one.
                const error = new ResponseTooLargeError(limit);
                reject(error);
                req.destroy(error);
                return;
              }
              chunks.push(chunk);
            });
            res.on('error', reject);
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let parsed: unknown = text;
              try {
                parsed = text ? JSON.parse(text) : undefined;
              } catch {
                // Not JSON (e.g. a proxy's HTML error page): keep the text.
              }
              resolve({
                status: res.statusCode ?? 0,
                body: parsed,
                bytes: size,
              });
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
  };
}
