import fs from 'node:fs';
import path from 'node:path';

/** One event of the API server's audit log (audit.k8s.io/v1, level Metadata). */
export interface AuditEvent {
  auditID: string;
  stage: 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';
  verb: string;
  requestURI: string;
  user: { username: string; groups?: string[] };
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string };
  responseStatus?: { code?: number };
  /** RFC 3339 with microseconds. */
  requestReceivedTimestamp: string;
  stageTimestamp: string;
}

/** What the API server was asked, as it wrote it down. */
export interface AuditLog {
  /** The log file (JSON lines). */
  path: string;
  /** Every event so far. */
  events(): AuditEvent[];
  /** A position in the log: events() from there on with since(). */
  mark(): number;
  since(mark: number): AuditEvent[];
  /**
   * Waits until the log stops growing (the server writes an event when a
   * request completes, which may be just after the client got its answer).
   */
  settle(quietMs?: number): Promise<void>;
}

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
# Who asked for what, never request or response bodies (Secrets stay out).
rules:
  - level: Metadata
`;

/** Writes the policy; returns the kube-apiserver flags and the log reader. */
export function auditLogSetup(dir: string): { args: string[]; log: AuditLog } {
  const policyFile = path.join(dir, 'audit-policy.yaml');
  const logFile = path.join(dir, 'audit.log');
  fs.writeFileSync(policyFile, POLICY);
  const lines = (): string[] => {
    try {
      return fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  };
  const parse = (from: number) =>
    lines()
      .slice(from)
      .map(line => JSON.parse(line) as AuditEvent);
  const log: AuditLog = {
    path: logFile,
    events: () => parse(0),
    mark: () => lines().length,
    since: mark => parse(mark),
    async settle(quietMs = 300) {
      let size = -1;
      for (;;) {
        const now = fs.existsSync(logFile) ? fs.statSync(logFile).size : 0;
        if (now === size) return;
        size = now;
        await new Promise(resolve => setTimeout(resolve, quietMs));
      }
    },
  };
  return {
    args: [
      `--audit-policy-file=${policyFile}`,
      `--audit-log-path=${logFile}`,
      '--audit-log-format=json',
      '--audit-log-mode=blocking',
      '--audit-log-maxbackup=0',
    ],
    log,
  };
}
