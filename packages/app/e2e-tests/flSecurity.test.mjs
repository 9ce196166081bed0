// Browser test: drives the running portal (make start, with the local demo
// control plane) in Debian's Chromium through playwright-core.
//   PORTAL_URL (default http://localhost:3000), BACKEND_URL (default
//   http://localhost:7007), SCREENSHOT_DIR (default <repo>/test-results).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
// A Node test file run with `node --test`, not part of the browser bundle.
// eslint-disable-next-line no-restricted-imports
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const portal = process.env.PORTAL_URL ?? 'http://localhost:3000';
const backend = process.env.BACKEND_URL ?? 'http://localhost:7007';
const screenshots =
  process.env.SCREENSHOT_DIR ?? path.resolve(here, '../../../test-results');
const entityPath = '/catalog/default/component/demo-federation';

let browser;
let page;

async function guestToken() {
  const res = await fetch(`${backend}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  assert.equal(res.status, 200);
  return (await res.json()).backstageIdentity.token;
}

/** The report the backend serves: what the page must show. */
async function expectedReport() {
  const token = await guestToken();
  const res = await fetch(
    `${backend}/api/fl-security/v1/reports/component/default/demo-federation`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  assert.equal(res.status, 200);
  return (await res.json()).report;
}

before(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // As root without a sandbox; no background traffic to the outside.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(60_000);
  await page.goto(`${portal}${entityPath}`);
  // Guest sign-in (local use only).
  const enter = page.getByRole('button', { name: 'Enter' });
  const card = page.getByTestId('fl-security-overall');
  await enter.or(card).first().waitFor();
  if (await enter.isVisible()) {
    await enter.click();
  }
});

after(async () => {
  // The last state, for diagnosing a failure.
  await page
    ?.screenshot({ path: path.join(screenshots, 'last-state.png'), fullPage: true })
    .catch(() => {});
  await browser?.close();
});

test('the overview card shows the counts of the served report', async () => {
  const report = await expectedReport();
  // The demo has one deliberate violation, and otherwise passes.
  assert.ok(report.summary.fail > 0, 'the demo report has a failing rule');
  assert.ok(report.summary.pass > 0, 'the demo report has passing rules');

  for (const status of ['pass', 'warn', 'fail', 'error', 'skip']) {
    const count = page.getByTestId(`count-${status}`).locator('dd');
    await count.waitFor();
    assert.equal(
      Number(await count.textContent()),
      report.summary[status],
      `card count of ${status}`,
    );
  }
  assert.match(
    await page.getByTestId('fl-security-overall').textContent(),
    /violation/i,
  );
  await page.screenshot({
    path: path.join(screenshots, 'fl-security-card.png'),
    fullPage: true,
  });
});

test('the FL Security tab filters to failures and opens a rule', async () => {
  const report = await expectedReport();
  const failing = report.results.filter(r => r.status === 'fail');

  // The card links to the entity's FL Security tab.
  await page.getByRole('link', { name: /View FL security details/i }).click();
  await page.waitForURL(/\/fl-security/);
  await page.getByRole('button', { name: `Fail (${report.summary.fail})` }).click();

  // Only failing rows remain; the first failing rule opens its detail.
  const rows = page.getByRole('button', { name: /^Show details of / });
  await rows.first().waitFor();
  assert.equal(await rows.count(), failing.length);

  await rows.first().click();
  const detail = page.getByTestId('rule-detail');
  await detail.waitFor();
  const text = await detail.textContent();
  assert.ok(
    failing.some(r => text.includes(r.remediation.slice(0, 40))),
    `the detail shows the remediation of a failing rule: ${text}`,
  );
  await page.screenshot({
    path: path.join(screenshots, 'fl-security-tab-failing-rule.png'),
    fullPage: true,
  });
});

test('the template is offered on the Create page', async () => {
  await page.goto(`${portal}/create`);
  await page
    .getByText('Secure federated learning project (Flower)')
    .first()
    .waitFor();
  await page.screenshot({
    path: path.join(screenshots, 'create-page.png'),
    fullPage: true,
  });
});
