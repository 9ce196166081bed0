import https from 'node:https';

/** What a request needs to reach the API server as some user. */
export interface ApiEndpoint {
  server: string;
  caPem: string;
}

export interface KubeRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. /api/v1/namespaces?limit=1 */
  path: string;
  token: string;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  contentType?: string;
  timeoutMs?: number;
}

export interface KubeResponse {
  status: number;
  /** Parsed JSON when the server sent JSON, else the raw text. */
  body: any;
  /** Warning headers (deprecations; unknown fields under fieldValidation=Warn). */
  warnings: string[];
}

/** One HTTPS request to the API server; resolves for every HTTP status. */
export function kubeRequest(endpoint: ApiEndpoint, request: KubeRequest): Promise<KubeResponse> {
  const url = new URL(request.path, endpoint.server);
  let payload: string | undefined;
  if (request.body !== undefined) {
    payload = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: request.method ?? 'GET',
        ca: endpoint.caPem,
        agent: false,
        timeout: request.timeoutMs ?? 30_000,
        headers: {
          authorization: `Bearer ${request.token}`,
          accept: 'application/json',
          ...(payload !== undefined
            ? {
                'content-type': request.contentType ?? 'application/json',
                'content-length': Buffer.byteLength(payload),
              }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if ((res.headers['content-type'] ?? '').includes('json') && text.length > 0) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({
            status: res.statusCode ?? 0,
            body,
            warnings: parseWarnings(res.rawHeaders),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${req.method} ${url.pathname}`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Warning headers look like: 299 - "message". Read from the raw headers
 * because Node joins repeated headers with commas.
 */
function parseWarnings(rawHeaders: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === 'warning') {
      values.push(rawHeaders[i + 1]);
    }
  }
  return values.map(value => {
    const match = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(value);
    return match ? match[1].replace(/\\(.)/g, '$1') : value;
  });
}

/** The message of a Kubernetes Status body, or the status code. */
export function statusMessage(response: KubeResponse): string {
  const message = response.body?.message;
  return typeof message === 'string' ? message : `HTTP ${response.status}`;
}
