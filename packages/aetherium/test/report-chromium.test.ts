// Renders the cost report in headless Chromium (Debian's `chromium`, installed by the test
// support when missing and allowed) and checks the screenshot: the regions where the two SVG
// charts are laid out are not blank, so the charts draw without JavaScript.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDebianPackage } from '../../../tests/support/debian';
import { createMemoryCostSource } from '../src/adapters/memory/index';
import { collectCosts } from '../src/facade/index';
import { detectCostAnomalies, forecast, renderCostReport } from '../src/index';

const browser = ensureDebianPackage('chromium', 'chromium');
const dir = mkdtempSync(join(tmpdir(), 'aetherium-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function rows() {
  const out: Record<string, string>[] = [];
  for (let d = 0; d < 42; d++) {
    const day = new Date(Date.UTC(2024, 8, 1) + d * 86_400_000).toISOString().slice(0, 10);
    for (const [service, base] of [['Compute', 100], ['Storage', 30], ['Network', 12]] as const) {
      const cost = base + (d % 5) + (service === 'Compute' && d === 38 ? 300 : 0);
      out.push({ ChargePeriodStart: `${day} 00:00:00`, ChargePeriodEnd: `${day} 23:59:59`, ServiceName: service, BilledCost: String(cost), EffectiveCost: String(cost), BillingCurrency: 'USD' });
    }
  }
  return out;
}

/** Share of pixels in a region that are not (near) white. */
function inkRatio(png: PNG, box: { x: number; y: number; width: number; height: number }): number {
  let ink = 0;
  let total = 0;
  for (let y = Math.max(0, Math.floor(box.y)); y < Math.min(png.height, box.y + box.height); y++) {
    for (let x = Math.max(0, Math.floor(box.x)); x < Math.min(png.width, box.x + box.width); x++) {
      const i = (png.width * y + x) * 4;
      total++;
      if (png.data[i]! < 235 || png.data[i + 1]! < 235 || png.data[i + 2]! < 235) ink++;
    }
  }
  return total === 0 ? 0 : ink / total;
}

describe.skipIf(!browser.available)(`the cost report in headless Chromium${browser.available ? '' : ` (needs Debian package chromium: ${browser.reason})`}`, () => {
  it('shows both charts (non-blank where the SVGs are) with JavaScript disabled', { timeout: 90_000 }, async () => {
    const source = createMemoryCostSource({ rows: rows() });
    const range = { start: '2024-09-01', end: '2024-10-13' };
    const daily = await collectCosts(source.query({ range, granularity: 'daily', groupBy: ['ServiceName'] }));
    const { anomalies } = await detectCostAnomalies(source, { range });
    const [usd] = await forecast(source, { horizonDays: 14, asOf: '2024-10-13' });
    const file = join(dir, 'cost-report.html');
    writeFileSync(file, renderCostReport({ currency: 'USD', daily, anomalies, forecast: usd }));

    const instance = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: browser.available ? browser.path : '/usr/bin/chromium',
      headless: true,
      javaScriptEnabled: false,
      viewport: { width: 1100, height: 1400 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await instance.newPage();
      await page.goto(`file://${file}`);
      const boxes = await Promise.all(['#chart-daily', '#chart-forecast'].map((selector) => page.locator(selector).boundingBox()));
      const shot = await page.screenshot({ fullPage: true });
      if (process.env.AETHERIUM_REPORT_SHOT) writeFileSync(process.env.AETHERIUM_REPORT_SHOT, shot);
      const png = PNG.sync.read(shot);
      const heading = await page.locator('h1').boundingBox();
      for (const box of boxes) {
        expect(box).not.toBeNull();
        expect(box!.width).toBeGreaterThan(500);
        expect(inkRatio(png, box!)).toBeGreaterThan(0.02);
      }
      // A control region: the right margin beside the heading is blank, so the measure can fail.
      expect(inkRatio(png, { x: 1060, y: heading!.y, width: 30, height: heading!.height })).toBeLessThan(0.01);
    } finally {
      await instance.close();
    }
  });
});
