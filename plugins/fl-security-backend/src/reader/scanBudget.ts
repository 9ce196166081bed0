/** Limits of one scan (every cluster of one entity together). */
export interface ScanLimits {
  /** API responses: list pages and single-object reads. */
  maxPages: number;
  /** Objects kept in the snapshots. */
  maxObjects: number;
  /** Response bytes received. */
  maxBytes: number;
}

const CONFIG_KEY: Record<keyof ScanLimits, string> = {
  maxPages: 'flSecurity.scans.budget.maxPages',
  maxObjects: 'flSecurity.scans.budget.maxObjects',
  maxBytes: 'flSecurity.scans.budget.maxBytes',
};

const WHAT: Record<keyof ScanLimits, string> = {
  maxPages: 'API responses (list pages and gets)',
  maxObjects: 'objects',
  maxBytes: 'bytes of API responses',
};

/** Thrown when a scan would go past its budget: the cluster is not evaluated. */
export class ScanBudgetExceededError extends Error {
  constructor(readonly limit: keyof ScanLimits, value: number) {
    super(
      `scan budget exceeded: more than ${value.toLocaleString('en-US')} ${
        WHAT[limit]
      } (${
        CONFIG_KEY[limit]
      }); what was read from this cluster is not evaluated`,
    );
    this.name = 'ScanBudgetExceededError';
  }
}

/**
 * The running totals of one scan against its limits. Every cluster read of
 * the scan charges the same budget, so a scan's memory is bounded whatever
 * the entity's annotations make it read.
 */
export class ScanBudget {
  private pages = 0;
  private objects = 0;
  private bytes = 0;

  constructor(readonly limits: ScanLimits) {}

  /** Before a request: one more response. */
  chargePage(): void {
    this.pages += 1;
    if (this.pages > this.limits.maxPages) {
      throw new ScanBudgetExceededError('maxPages', this.limits.maxPages);
    }
  }

  /** The largest response body the next request may receive. */
  remainingBytes(): number {
    return Math.max(this.limits.maxBytes - this.bytes, 0);
  }

  chargeBytes(bytes: number): void {
    this.bytes += bytes;
    if (this.bytes > this.limits.maxBytes) {
      throw new ScanBudgetExceededError('maxBytes', this.limits.maxBytes);
    }
  }

  chargeObject(): void {
    this.objects += 1;
    if (this.objects > this.limits.maxObjects) {
      throw new ScanBudgetExceededError('maxObjects', this.limits.maxObjects);
    }
  }

  /** What the scan used so far (for logs and the bench). */
  used(): { pages: number; objects: number; bytes: number } {
    return { pages: this.pages, objects: this.objects, bytes: this.bytes };
  }
}

/** No practical limit (tests and the bench's bare comparisons). */
export const UNLIMITED: ScanLimits = {
  maxPages: Number.MAX_SAFE_INTEGER,
  maxObjects: Number.MAX_SAFE_INTEGER,
  maxBytes: Number.MAX_SAFE_INTEGER,
};
