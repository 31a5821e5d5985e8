/**
 * The web UI as a trader sees it, in real Chromium: `recio start` on a fresh data directory,
 * the page at a desktop and at a phone viewport. Checks the strike ladder (strike rows with the
 * Current Price row between the strikes above and below the price, highest first), the title,
 * the ET close time and countdown, the synthetic-model badge, the PAPER marker, live updates over
 * the WebSocket, the ± toggle (ask → diff), the health icon and its service list, no trading
 * buttons, no horizontal scrolling on the phone, another symbol's tab, and — after Ctrl-C — the
 * honest "connection lost" state with greyed data. Screenshots go to a temp directory (printed).
 *
 * Needs /usr/bin/chromium (Debian's package; .ci/run installs it): skipped with a message
 * without it. Builds web/dist first when it is missing or older than web/'s sources.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { recio, REPO_ROOT, type CliProcess } from '../support/cli.ts';
import { portEnv } from '../support/ports.ts';
import { getJson, waitFor } from '../support/wait.ts';

/**
 * The page's `document`, as the functions run in the browser (page.evaluate) use it: the test
 * program has no DOM library, and declaring this much keeps it that way.
 */
interface PageElement {
  getAttribute(name: string): string | null;
  textContent: string | null;
  classList: Iterable<string>;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  documentElement: { scrollWidth: number };
};

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`web UI test skipped: ${CHROMIUM} is missing (apt-get install chromium)`);

const WEB = join(REPO_ROOT, 'web');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** web/dist as the sources say: rebuilt when missing or older than any file of web/. */
async function ensureBuilt(): Promise<void> {
  const index = join(WEB, 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource(WEB)) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
}

let proc: CliProcess | undefined;
let browser: Browser | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await browser?.close();
  if (proc && proc.child.exitCode === null) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const MINUS_OR_PLUS_CENTS = /^([+\u2212]\d+\.\d{2}|0\.00|—)$/;

async function ladder(page: Page) {
  return page.evaluate(() => {
    const rows = Array.from(document.querySelectorAll('[data-testid="ladder"] tbody tr'));
    return rows.map((tr) =>
      tr.getAttribute('data-testid') === 'current-price-row'
        ? { kind: 'price' as const, value: Number(tr.getAttribute('data-price')) }
        : {
            kind: 'strike' as const,
            value: Number(tr.getAttribute('data-strike')),
            band: Array.from(tr.classList).find((c) => /^p(98|95|80|low)$/.test(c)),
            cells: tr.querySelectorAll('td').length,
          },
    );
  });
}

/** The ladder's shape: strikes descending, the price row once, strikes ≥ price above it, < below. */
function expectLadderShape(rows: Awaited<ReturnType<typeof ladder>>, columns: number) {
  const at = rows.findIndex((r) => r.kind === 'price');
  expect(at, 'a Current Price row').toBeGreaterThan(0);
  expect(rows.filter((r) => r.kind === 'price')).toHaveLength(1);
  const price = rows[at]!.value;
  const above = rows.slice(0, at);
  const below = rows.slice(at + 1);
  expect(above.length).toBeGreaterThanOrEqual(1);
  expect(below.length).toBeGreaterThanOrEqual(1);
  expect(above.length).toBeLessThanOrEqual(7);
  expect(below.length).toBeLessThanOrEqual(7);
  expect(above.length + below.length).toBeGreaterThanOrEqual(12); // 21-row tables: 7 + 7 unless at an edge
  for (const r of above) expect(r.value).toBeGreaterThanOrEqual(price);
  for (const r of below) expect(r.value).toBeLessThan(price);
  const strikes = rows.filter((r) => r.kind === 'strike').map((r) => r.value);
  expect(strikes).toEqual([...strikes].sort((a, b) => b - a));
  for (const r of rows) {
    if (r.kind === 'strike') {
      expect(r.band).toBeDefined();
      expect(r.cells).toBe(columns);
    }
  }
}

const text = async (page: Page, testId: string) =>
  ((await page.getByTestId(testId).first().textContent()) ?? '').trim();

describe.skipIf(!haveChromium)('web UI in Chromium (fresh platform)', { timeout: 480_000 }, () => {
  it('shows the live strike ladder on desktop and phone, and says so when the connection is lost', async () => {
    await ensureBuilt();
    const shots = mkdtempSync(join(tmpdir(), 'recio-ui-shots-'));
    dataDir = mkdtempSync(join(tmpdir(), 'recio-ui-'));
    const env = { ...(await portEnv()), RECIO_DATA_DIR: dataDir };
    const main = `http://127.0.0.1:${env.RECIO_PORT_MAIN_APP}`;
    proc = recio(['start'], env);
    const output = () => proc!.output().slice(-4_000);

    // Both strike tables exist (the fresh install's synthetic models are built).
    for (const sym of ['btc', 'eth']) {
      await waitFor(
        async () => ((await getJson(`${main}/api/strike-table/${sym}`)).status === 200 ? true : undefined),
        300_000,
        `the ${sym} strike table`,
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${output()}`);
      });
    }

    browser = await chromium.launch({ executablePath: CHROMIUM });

    // Desktop.
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    desktop.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await desktop.goto(main);
    await desktop.getByTestId('strike-row').first().waitFor({ timeout: 30_000 });
    expect(await desktop.locator('.app').getAttribute('class')).toContain('layout-desktop');
    expectLadderShape(await ladder(desktop), 9);

    expect(await text(desktop, 'market-title')).toMatch(/^BTC price today at \d{1,2}(am|pm)\?$/);
    expect(await text(desktop, 'countdown')).toMatch(/^(\d:)?\d{2}:\d{2}$/);
    expect(await desktop.getByTestId('countdown').getAttribute('class')).toMatch(/cd-(red|amber|green|calm)/);
    expect(await text(desktop, 'close-time')).toMatch(/^closes \d{1,2}:00 (AM|PM) ET$/);
    expect(await text(desktop, 'updated-at')).toMatch(/^updated \d{1,2}:\d{2}:\d{2} (AM|PM) ET$/);
    expect(await text(desktop, 'synthetic-badge')).toMatch(/SYNTHETIC/);
    expect(await text(desktop, 'model-id')).toMatch(/^model \S+/);
    expect(await text(desktop, 'mode-badge')).toBe('PAPER');
    expect(await text(desktop, 'connection')).toBe('live');
    expect(await desktop.getByTestId('tab-BTC').innerText()).toMatch(/BTC\s*\$\d{1,3}(,\d{3})*\.\d{2}/);
    // No trading buttons: the order path does not exist yet.
    expect(await desktop.getByRole('button', { name: /buy|sell|close/i }).count()).toBe(0);

    // Live: the table's sequence number advances without a reload, and the data is not stale.
    const seq = Number(await desktop.getByTestId('seq').getAttribute('data-seq'));
    await desktop.waitForFunction(
      (before) => Number(document.querySelector('[data-testid="seq"]')?.getAttribute('data-seq')) > before,
      seq,
      { timeout: 30_000 },
    );
    expect(await desktop.getByTestId('market').getAttribute('data-stale')).toBe('false');

    // ± toggle: the YES/NO columns switch from the ask to the diff, and back.
    expect(await text(desktop, 'yes-quote-header')).toBe('YES ask');
    await desktop.getByTestId('diff-toggle').click();
    expect(await text(desktop, 'yes-quote-header')).toBe('YES diff');
    expect(await text(desktop, 'no-quote-header')).toBe('NO diff');
    const diffs = await desktop.getByTestId('yes-diff').allInnerTexts();
    expect(diffs.length).toBeGreaterThanOrEqual(12);
    for (const d of [...diffs, ...(await desktop.getByTestId('no-diff').allInnerTexts())]) {
      expect(d.trim()).toMatch(MINUS_OR_PLUS_CENTS);
    }
    expect(await desktop.getByTestId('yes-ask').count()).toBe(0);
    await desktop.screenshot({ path: join(shots, 'desktop-diff.png'), fullPage: true });
    await desktop.getByTestId('diff-toggle').click();
    expect(await text(desktop, 'yes-quote-header')).toBe('YES ask');
    for (const a of await desktop.getByTestId('yes-ask').allInnerTexts()) {
      expect(a.trim()).toMatch(/^(\d{1,2}(\.\d+)?|—)$/);
    }

    // Health icon: the platform answers (healthy, or degraded while something still starts);
    // a click lists every service of the manifest.
    await desktop.waitForFunction(
      () =>
        ['healthy', 'degraded'].includes(
          document.querySelector('[data-testid="health-icon"]')?.getAttribute('data-level') ?? '',
        ),
      undefined,
      { timeout: 15_000 },
    );
    await desktop.getByTestId('health-icon').click();
    await desktop.getByTestId('service').first().waitFor({ timeout: 15_000 });
    const services = await desktop.getByTestId('service').allInnerTexts();
    expect(services.length).toBeGreaterThanOrEqual(13);
    expect(services.join('\n')).toMatch(/main_app\s+running/);
    expect(services.join('\n')).toMatch(/unified_production_coordinator/);
    await desktop.screenshot({ path: join(shots, 'desktop-services.png') });
    await desktop.keyboard.press('Escape');
    await desktop.screenshot({ path: join(shots, 'desktop.png'), fullPage: true });

    // The ETH tab shows ETH's ladder.
    await desktop.getByTestId('tab-ETH').click();
    await desktop.waitForFunction(
      () =>
        document.querySelector('[data-testid="market-title"]')?.textContent?.startsWith('ETH price today'),
      undefined,
      { timeout: 15_000 },
    );
    expectLadderShape(await ladder(desktop), 9);

    // Phone: the compact ladder (strike, buffer, prob, YES, NO) fits the width.
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await phone.goto(`${main}/`);
    await phone.getByTestId('tab-BTC').tap();
    await phone.getByTestId('strike-row').first().waitFor({ timeout: 30_000 });
    expect(await phone.locator('.app').getAttribute('class')).toContain('layout-mobile');
    expectLadderShape(await ladder(phone), 5);
    expect(await text(phone, 'market-title')).toMatch(/^BTC price today at/);
    expect(await text(phone, 'synthetic-badge')).toMatch(/SYNTHETIC/);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await phone.getByTestId('diff-toggle').tap();
    expect(await text(phone, 'yes-quote-header')).toBe('YES diff');
    await phone.getByTestId('diff-toggle').tap();
    await phone.screenshot({ path: join(shots, 'phone.png'), fullPage: true });
    // ?desktop on a phone gives the full table.
    await phone.goto(`${main}/?desktop`);
    await phone.getByTestId('strike-row').first().waitFor({ timeout: 30_000 });
    expect(await phone.locator('.app').getAttribute('class')).toContain('layout-desktop');

    // Ctrl-C: the page says the connection is lost and greys the last values.
    await desktop.getByTestId('tab-BTC').click();
    proc.child.kill('SIGINT');
    expect(await proc.exited, output()).toBe(0);
    await desktop.getByTestId('connection-lost').waitFor({ timeout: 30_000 });
    expect(await desktop.getByTestId('market').getAttribute('data-stale')).toBe('true');
    expect(await desktop.getByTestId('connection').getAttribute('data-status')).not.toBe('open');
    await desktop.waitForFunction(
      () => document.querySelector('[data-testid="health-icon"]')?.getAttribute('data-level') === 'offline',
      undefined,
      { timeout: 20_000 },
    );
    await desktop.screenshot({ path: join(shots, 'desktop-connection-lost.png'), fullPage: true });

    expect(
      consoleErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e)),
    ).toEqual([]);
    console.log(`web UI screenshots: ${shots}`);
  });
});
