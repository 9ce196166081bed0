// Browser test: drives the running portal (make start, with the local demo
// control plane) in Debian's Chromium through playwright-core.
//   PORTAL_URL (default http://localhost:3000), BACKEND_URL (default
//   http://localhost:7007), SCREENSHOT_DIR (default <repo>/test-results).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
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
/** Written by the demo control plane (packages/demo-cluster/src/demo/main.ts). */
const demoAdminFile =
  process.env.DEMO_ADMIN_FILE ??
  path.join(
    process.env.FLSEC_CACHE ?? path.join(os.homedir(), '.cache/fl-security'),
    'run/app-config.demo.yaml.admin.json',
  );

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

/** The entity's report response as the backend serves it. */
async function expectedResponse() {
  const token = await guestToken();
  const res = await fetch(
    `${backend}/api/fl-security/v1/reports/component/default/demo-federation`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  assert.equal(res.status, 200);
  return res.json();
}

/** The report the backend serves: what the page must show. */
async function expectedReport() {
  return (await expectedResponse()).report;
}

/** Height of what scrolls: the page, or the app's scrolling container. */
async function scrollHeight(locator) {
  return locator.evaluate(element => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const { overflowY } = getComputedStyle(node);
      if (
        /(auto|scroll)/.test(overflowY) &&
        node.scrollHeight > node.clientHeight
      ) {
        return node.scrollHeight;
      }
    }
    return document.scrollingElement.scrollHeight;
  });
}

/** Scrolls whatever scrolls the element's page to its end. */
async function scrollToEnd(locator) {
  await locator.evaluate(element => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const { overflowY } = getComputedStyle(node);
      if (
        /(auto|scroll)/.test(overflowY) &&
        node.scrollHeight > node.clientHeight
      ) {
        node.scrollTop = node.scrollHeight;
        return;
      }
    }
    document.scrollingElement.scrollTop =
      document.scrollingElement.scrollHeight;
  });
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
    ?.screenshot({
      path: path.join(screenshots, 'last-state.png'),
      fullPage: true,
    })
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
  // The card names the failing rules themselves, worst first.
  const top = page.getByTestId('fl-security-top-failures');
  assert.match(
    await top.textContent(),
    new RegExp(`^Failing \\(${report.summary.fail + report.summary.error}\\)`),
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
  await page
    .getByRole('button', { name: `Fail (${report.summary.fail})` })
    .click();

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

const ATTENTION = ['fail', 'error', 'warn'];

test('the tab lists failures above the passes, which stay collapsed per area', async () => {
  const report = await expectedReport();
  const needsAttention = report.results.filter(r =>
    ATTENTION.includes(r.status),
  );
  const settled = report.results.length - needsAttention.length;
  assert.ok(needsAttention.length > 0 && settled > 0, 'the demo has both');

  await page.goto(`${portal}${entityPath}/fl-security`);
  const attention = page.getByTestId('attention-section');
  await attention.waitFor();
  assert.match(
    await attention.locator('h6').first().textContent(),
    new RegExp(`^Needs attention \\(${needsAttention.length}\\)$`),
  );
  const rows = attention.getByTestId('rule-result');
  assert.equal(await rows.count(), Math.min(needsAttention.length, 25));
  for (const status of await rows.evaluateAll(els =>
    els.map(e => e.dataset.status),
  )) {
    assert.ok(
      ATTENTION.includes(status),
      `attention row with status ${status}`,
    );
  }

  // Below them, one collapsed area per category: counts, and no rows.
  const settledSection = page.getByTestId('settled-section');
  const attentionBox = await attention.boundingBox();
  const settledBox = await settledSection.boundingBox();
  assert.ok(
    settledBox.y >= attentionBox.y + attentionBox.height,
    'the passes come after what needs attention',
  );
  const summaries = await settledSection.locator('h3').allTextContents();
  const counted = summaries
    .flatMap(text => [...text.matchAll(/(\d+) (?:passed|skipped)/g)])
    .reduce((sum, match) => sum + Number(match[1]), 0);
  assert.equal(counted, settled, `area counts ${summaries.join('; ')}`);
  assert.equal(
    await page
      .locator('[data-testid="rule-result"][data-status="pass"]')
      .count(),
    0,
  );

  // Short column headers stay on one line ("Status", not "Statu s").
  for (const header of ['Status', 'Severity', 'Area']) {
    const cell = attention.locator('th', {
      hasText: new RegExp(`^${header}$`),
    });
    const lines = await cell.evaluate(th => {
      const range = document.createRange();
      range.selectNodeContents(th);
      return new Set([...range.getClientRects()].map(r => Math.round(r.top)))
        .size;
    });
    assert.equal(lines, 1, `header ${header} is on ${lines} lines`);
  }

  const collapsedHeight = await scrollHeight(attention);
  await page.screenshot({
    path: path.join(screenshots, 'fl-security-tab-fail-first.png'),
    fullPage: true,
  });

  // The summary stays in view at the end of the page.
  await scrollToEnd(attention);
  const summary = page.getByTestId('fl-security-summary');
  const summaryBox = await summary.boundingBox();
  assert.ok(
    summaryBox.y >= -1 && summaryBox.y < 400,
    `summary in view after scrolling (top ${summaryBox.y})`,
  );
  assert.ok(
    await summary.getByRole('button', { name: /Scan now/ }).isVisible(),
  );
  await page.screenshot({
    path: path.join(screenshots, 'fl-security-tab-scrolled.png'),
  });

  // Opening every area shows every passing result: the page it replaces.
  const areas = settledSection.getByTestId('settled-area');
  for (let i = 0; i < (await areas.count()); i++) {
    await areas.nth(i).getByRole('button').first().click();
    await areas.nth(i).getByTestId('rule-result').first().waitFor();
  }
  // Let the last accordion finish opening before measuring.
  await page.waitForTimeout(1000);
  const expandedHeight = await scrollHeight(attention);
  process.stdout.write(
    `# tab height: ${collapsedHeight} px fail-first, ${expandedHeight} px with every area open (${report.results.length} results)\n`,
  );
  assert.ok(collapsedHeight < expandedHeight);
});

test('the trend grows by one bar per scan', async () => {
  const earlier = await expectedResponse();
  await page.goto(`${portal}${entityPath}/fl-security`);
  const trend = page.getByTestId('fl-security-trend');
  await trend.waitFor();
  const bars = trend.getByTestId('trend-scan');
  const shown = Math.min(earlier.history.length, 20);
  assert.equal(await bars.count(), shown);
  assert.equal(
    await bars.last().getAttribute('data-generated-at'),
    earlier.history[0].generatedAt,
  );

  await page.getByRole('button', { name: /Scan now/ }).click();
  // The forced scan's report arrives with a new newest bar.
  await page.waitForFunction(previous => {
    const all = document.querySelectorAll('[data-testid="trend-scan"]');
    return all[all.length - 1]?.getAttribute('data-generated-at') !== previous;
  }, earlier.history[0].generatedAt);
  const later = await expectedResponse();
  assert.ok(
    later.history.length > earlier.history.length ||
      later.history.length === 20,
    `history ${earlier.history.length} -> ${later.history.length}`,
  );
  assert.equal(await bars.count(), Math.min(later.history.length, 20));
  assert.equal(
    await bars.last().getAttribute('data-generated-at'),
    later.history[0].generatedAt,
  );
  const latest = later.history[0].summary;
  assert.match(
    await bars.last().locator('title').textContent(),
    new RegExp(
      `${latest.fail} fail, ${latest.error} error, ${latest.warn} warn, ${latest.pass} pass$`,
    ),
  );
  await page.getByTestId('fl-security-summary').screenshot({
    path: path.join(screenshots, 'fl-security-summary-trend.png'),
  });
});

/** A request to the demo's API server as its admin (the operator's role). */
function demoAdmin(method, apiPath, body) {
  const access = JSON.parse(fs.readFileSync(demoAdminFile, 'utf8'));
  const url = new URL(apiPath, access.server);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        ca: access.caPem,
        headers: {
          Authorization: `Bearer ${access.token}`,
          'Content-Type': 'application/json',
        },
      },
      res => {
        let text = '';
        res.on('data', chunk => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

function demoViolation() {
  return JSON.parse(fs.readFileSync(demoAdminFile, 'utf8')).violation;
}

function policiesPath(namespace) {
  return `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies`;
}

/** Clicks "Scan now" and waits for the scan's verdict on the tab. */
async function scanNowUntil(verdict) {
  await page.goto(`${portal}${entityPath}/fl-security`);
  const overall = page.getByTestId('fl-security-overall');
  await overall.waitFor();
  const scanned = page.waitForResponse(
    res => res.url().endsWith('/demo-federation/refresh') && res.ok(),
  );
  // Scans of one entity are at least 2 s apart locally (minInterval).
  await page.waitForTimeout(2500);
  await page.getByRole('button', { name: /Scan now/ }).click();
  await scanned;
  await page.waitForFunction(
    expected =>
      new RegExp(expected, 'i').test(
        document.querySelector('[data-testid="fl-security-overall"]')
          ?.textContent ?? '',
      ),
    verdict.source,
  );
}

/** The guest's notifications from FL security, newest first. */
async function flNotifications() {
  const token = await guestToken();
  const res = await fetch(
    `${backend}/api/notifications/notifications?topic=fl-security`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  assert.equal(res.status, 200);
  return (await res.json()).notifications;
}

test('repairing and breaking the demo shows the changes and notifies the owners', async () => {
  const violation = demoViolation();
  const { namespace, name } = violation.metadata;

  // The operator removes the deliberate violation; the owners' team (the
  // guest is a member) hears that the federation passes again.
  const removed = await demoAdmin(
    'DELETE',
    `${policiesPath(namespace)}/${name}`,
  );
  assert.ok([200, 404].includes(removed.status), removed.text);
  await scanNowUntil(/compliant|warning/);
  const fixed = page.getByTestId('changes-fixed');
  await fixed.waitFor();
  // The aggregator is reachable by its participants only again (the
  // policy's own NET-03 result went with the policy).
  assert.match(await fixed.textContent(), /NET-04/);
  await page.getByTestId('fl-security-changes').screenshot({
    path: path.join(screenshots, 'fl-security-changes-fixed.png'),
  });
  const recovered = (await flNotifications())[0];
  assert.match(
    recovered?.payload.title ?? '',
    /passes its FL security checks again/,
  );

  // Someone leaves the debugging policy behind again.
  const restored = await demoAdmin('POST', policiesPath(namespace), violation);
  assert.equal(restored.status, 201, restored.text);
  await scanNowUntil(/violation/);
  const newFailures = page.getByTestId('changes-new');
  await newFailures.waitFor();
  const listed = await newFailures.textContent();
  assert.match(listed, /NET-03/);
  assert.match(listed, /NET-04/);
  await page.getByTestId('fl-security-changes').screenshot({
    path: path.join(screenshots, 'fl-security-changes-new-failures.png'),
  });

  // The notification arrives in the portal's notification list, unread.
  const [failing] = await flNotifications();
  assert.match(failing.payload.title, /fails its FL security checks/);
  assert.match(failing.payload.description, /NET-03/);
  assert.equal(failing.read ?? null, null);
  await page.goto(`${portal}/notifications`);
  const item = page.getByText(failing.payload.title).first();
  await item.waitFor();
  await page.screenshot({
    path: path.join(screenshots, 'notifications-page.png'),
    fullPage: true,
  });
  // It links to the entity's FL Security tab.
  await item.click();
  await page.waitForURL(
    /\/catalog\/default\/component\/demo-federation\/fl-security/,
  );
  await page.getByTestId('fl-security-overall').waitFor();

  // A scan that changes nothing tells nobody anything.
  await scanNowUntil(/violation/);
  const unchanged = await flNotifications();
  assert.equal(unchanged.length, 1, 'one notification line per subject');
  assert.equal(unchanged[0].id, failing.id);
  assert.equal(unchanged[0].payload.title, failing.payload.title);
});

/** The report of another demo entity, as the backend serves it. */
async function reportOf(name) {
  const token = await guestToken();
  const res = await fetch(
    `${backend}/api/fl-security/v1/reports/component/default/${name}`,
    { headers: { Authorization: `Bearer ${token}` } },
  );
  assert.equal(res.status, 200);
  return (await res.json()).report;
}

test('the cross-silo demo shows results per cluster and who reaches the aggregator as a graph', async () => {
  // The demo's three API servers: the aggregator's cluster and two sites.
  const siloPath = '/catalog/default/component/silo-federation/fl-security';
  let report = await reportOf('silo-federation');
  for (let i = 0; i < 60 && report.results.length === 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 2000));
    report = await reportOf('silo-federation');
  }
  const clusters = new Set(report.results.map(r => r.resource.cluster));
  assert.deepEqual(
    [...clusters].sort(),
    ['fl-hub', 'hospital-a', 'hospital-b'],
    'results of every cluster',
  );
  assert.deepEqual(report.errors, [], 'every cluster answered');
  // The deliberate violation: hospital-a's egress is wider than the aggregator.
  const failing = report.results.filter(r => r.status === 'fail');
  assert.ok(
    failing.some(
      r => r.ruleId === 'NET-05' && r.resource.cluster === 'hospital-a',
    ),
    `NET-05 fails in hospital-a: ${JSON.stringify(failing)}`,
  );
  assert.ok(
    failing.every(r => r.resource.cluster === 'hospital-a'),
    `only hospital-a fails: ${failing.map(r => `${r.ruleId} ${r.resource.cluster}`)}`,
  );

  await page.goto(`${portal}${siloPath}`);
  const attention = page.getByTestId('attention-section');
  await attention.waitFor();
  const net05 = attention
    .locator('[data-testid="rule-result"][data-status="fail"]')
    .filter({ hasText: 'NET-05' });
  assert.match(await net05.first().textContent(), /hospital-a/);

  const graph = page.getByTestId('reachability-graph');
  await graph.waitFor();
  await graph.scrollIntoViewIfNeeded();
  const groups = await graph
    .getByTestId('reachability-group')
    .locator('text')
    .allTextContents();
  assert.deepEqual(
    groups.filter(g => g.startsWith('cluster')),
    ['cluster fl-hub (aggregator)', 'cluster hospital-a', 'cluster hospital-b'],
  );
  const unexpected = report.reachability.filter(e => !e.expected);
  assert.deepEqual(
    unexpected.map(e => `${e.source.cluster} ${e.source.label}`),
    ['hospital-a participants/silo-federation-hospital-a/supernode'],
  );
  const red = graph.locator(
    '[data-testid="reachability-edge"][data-expected="false"]',
  );
  assert.equal(await red.count(), 1);
  assert.match(await red.getAttribute('data-from'), /cluster:hospital-a\//);
  // Drawn in the error colour the table uses for "Unexpected".
  const chip = page
    .locator('[data-testid="reachability"]')
    .filter({ hasText: 'cluster hospital-a' })
    .getByText('Unexpected');
  const errorColour = await chip.evaluate(
    el => getComputedStyle(el.closest('.MuiChip-root')).backgroundColor,
  );
  assert.equal(
    await red.evaluate(el => getComputedStyle(el).stroke),
    errorColour,
  );
  const green = graph.locator(
    '[data-testid="reachability-edge"][data-expected="true"]',
  );
  assert.equal(
    await green.count(),
    report.reachability.filter(e => e.expected).length,
  );
  assert.notEqual(
    await green.first().evaluate(el => getComputedStyle(el).stroke),
    errorColour,
  );
  // The text alternative names the edge, its cluster and why it is red.
  const name = await graph.evaluate(el =>
    el.getAttribute('aria-labelledby')
      .split(' ')
      .map(id => document.getElementById(id).textContent)
      .join(' '),
  );
  assert.match(name, /1 unexpected/);
  assert.match(
    name,
    /participants\/silo-federation-hospital-a\/supernode in cluster hospital-a can reach .*: unexpected\. NET-05 fail/,
  );
  await graph.screenshot({
    path: path.join(screenshots, 'fl-security-reachability-graph.png'),
  });
  await page.screenshot({
    path: path.join(screenshots, 'fl-security-silo-tab.png'),
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
