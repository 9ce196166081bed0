import { AuditEvent } from '@fl-security/test-cluster';

/** The portal ServiceAccount of the generated RBAC, as the API server names it. */
export const PORTAL_USER = 'system:serviceaccount:backstage:backstage';

/** Microseconds since the epoch of an audit timestamp (RFC 3339, µs). */
function micros(timestamp: string): number {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(timestamp);
  if (!match) throw new Error(`unexpected audit timestamp ${timestamp}`);
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6);
  return Date.parse(`${match[1]}Z`) * 1000 + Number(fraction);
}

/** The requests (one per audit ID) `user` made, from their ResponseComplete events. */
export function requestsBy(events: AuditEvent[], user = PORTAL_USER) {
  return events.filter(
    e => e.user.username === user && e.stage === 'ResponseComplete',
  );
}

/**
 * The most requests of `user` the API server was working on at once: from
 * each request's RequestReceived to its ResponseComplete. An end and a
 * start at the same microsecond count as the end first.
 */
export function peakInFlight(events: AuditEvent[], user = PORTAL_USER) {
  const points: Array<[number, number]> = [];
  for (const event of events) {
    if (event.user.username !== user) continue;
    if (event.stage === 'RequestReceived') {
      points.push([micros(event.stageTimestamp), 1]);
    } else if (event.stage === 'ResponseComplete') {
      points.push([micros(event.stageTimestamp), -1]);
    }
  }
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of points) {
    current += delta;
    peak = Math.max(peak, current);
  }
  return peak;
}
