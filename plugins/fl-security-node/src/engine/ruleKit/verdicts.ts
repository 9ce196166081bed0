/**
 * What a check says about one subject: a status and a message, optionally a
 * more specific remediation and another resource than the subject's own.
 */
import type {
  CheckStatus,
  ResourceRef,
} from '@fl-security/plugin-fl-security-common';

export interface Verdict {
  status: CheckStatus;
  message: string;
  /** Overrides the catalogue remediation when more specific. */
  remediation?: string;
  /** The resource the verdict is about; the subject's own when absent. */
  resource?: ResourceRef;
}

/** One result before the engine adds rule id, severity and default remediation. */
export interface Finding {
  status: CheckStatus;
  resource: ResourceRef;
  message: string;
  remediation?: string;
}

export function verdict(
  status: CheckStatus,
  message: string,
  remediation?: string,
): Verdict {
  return remediation ? { status, message, remediation } : { status, message };
}

export const pass = (message: string, remediation?: string) =>
  verdict('pass', message, remediation);
export const warn = (message: string, remediation?: string) =>
  verdict('warn', message, remediation);
export const fail = (message: string, remediation?: string) =>
  verdict('fail', message, remediation);
export const skip = (message: string, remediation?: string) =>
  verdict('skip', message, remediation);
export const error = (message: string, remediation?: string) =>
  verdict('error', message, remediation);

/** A verdict about another resource than the subject (e.g. the Secret an Ingress names). */
export function about(resource: ResourceRef, of: Verdict): Verdict {
  return { ...of, resource };
}

export function toFinding(of: Verdict, subject: ResourceRef): Finding {
  const resource = of.resource ?? subject;
  return of.remediation
    ? {
        status: of.status,
        resource,
        message: of.message,
        remediation: of.remediation,
      }
    : { status: of.status, resource, message: of.message };
}

const ORDER: Record<CheckStatus, number> = {
  pass: 0,
  skip: 1,
  warn: 2,
  error: 3,
  fail: 4,
};

/** The more severe of two statuses (fail > error > warn > skip > pass). */
export function worst(a: CheckStatus, b: CheckStatus): CheckStatus {
  return ORDER[a] >= ORDER[b] ? a : b;
}

/** A partial verdict: one of several things a check looked at. */
export interface Note {
  status: CheckStatus;
  text: string;
}

/** The worst status of the notes (`pass` for none). */
export function worstOf(notes: readonly Note[]): CheckStatus {
  return notes.map(n => n.status).reduce(worst, 'pass' as CheckStatus);
}

/** The notes worth showing: all of them when everything passed, else the ones that did not. */
export function shown(notes: readonly Note[]): Note[] {
  return worstOf(notes) === 'pass'
    ? [...notes]
    : notes.filter(n => n.status !== 'pass');
}

/**
 * One verdict from several notes: the worst status, and the message the
 * render function makes of the notes worth showing.
 */
export function combine(
  notes: readonly Note[],
  render: (texts: string[]) => string,
): Verdict {
  return verdict(worstOf(notes), render(shown(notes).map(n => n.text)));
}
