import { mockServices } from '@backstage/backend-test-utils';

/** An audit event as a test sees it: id, meta and how it ended. */
export interface RecordedAuditEvent {
  eventId: string;
  meta?: unknown;
  /** `success`, or `fail: <error message>`; absent while open. */
  outcome?: string;
}

/** An auditor mock that records every event and its outcome. */
export function recordingAuditor() {
  const events: RecordedAuditEvent[] = [];
  const mock = mockServices.auditor.mock();
  mock.createEvent.mockImplementation(async options => {
    const event: RecordedAuditEvent = {
      eventId: options.eventId,
      meta: options.meta,
    };
    events.push(event);
    return {
      success: async () => {
        event.outcome = 'success';
      },
      fail: async ({ error }) => {
        event.outcome = `fail: ${error.message}`;
      },
    };
  });
  return { mock, events };
}
