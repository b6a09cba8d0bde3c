import type { BudgetStatus } from '../insights/budgets';
import type { CostAnomalyFinding } from '../insights/anomalies';
import type { SourceForecast } from '../insights/forecast';
import type { SavingsRecommendation } from '../insights/savings';
import type { CostRow } from '../spec';
import { FRAME, PALETTE, escapeHtml, money, niceMax, xLabels, yAxis } from './svg';

/** What {@link renderCostReport} draws. */
export interface CostReportInput {
  /** Page title; default `Cloud cost report`. */
  readonly title?: string | undefined;
  /** Currency shown; rows in other currencies are left out (and counted in a note). */
  readonly currency: string;
  /** Daily rows grouped by `ServiceName` (a `query` with `granularity: 'daily', groupBy: ['ServiceName']`). */
  readonly daily: readonly CostRow[];
  /** A forecast of the same currency (from `forecast`), drawn as a line with its band. */
  readonly forecast?: SourceForecast | undefined;
  /** Anomalies (from `detectCostAnomalies`), marked on the daily chart and listed. */
  readonly anomalies?: readonly CostAnomalyFinding[] | undefined;
  /** Savings (from `recommendSavings`), listed in a table. */
  readonly savings?: readonly SavingsRecommendation[] | undefined;
  /** Budget states (from `checkBudgets`), listed in a table. */
  readonly budgets?: readonly BudgetStatus[] | undefined;
  /** Services drawn separately, the rest stacked as `Other`; default 6. */
  readonly topServices?: number | undefined;
  /** Text shown as the generation time (the renderer reads no clock). */
  readonly generatedAt?: string | undefined;
}

function dailyChart(input: CostReportInput, rows: readonly CostRow[]): string {
  const frame = FRAME;
  const dates = [...new Set(rows.map((r) => r.periodStart.slice(0, 10)))].sort();
  if (dates.length === 0) return '<p class="empty">No cost in this currency.</p>';
  const byService = new Map<string, number>();
  for (const r of rows) byService.set(r.groups['ServiceName'] ?? '(none)', (byService.get(r.groups['ServiceName'] ?? '(none)') ?? 0) + r.billedCost);
  const top = [...byService.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, input.topServices ?? 6).map(([name]) => name);
  const series = [...top, ...(byService.size > top.length ? ['Other'] : [])];
  const stack = dates.map(() => new Map<string, number>());
  for (const r of rows) {
    const service = r.groups['ServiceName'] ?? '(none)';
    const key = top.includes(service) ? service : 'Other';
    const day = stack[dates.indexOf(r.periodStart.slice(0, 10))]!;
    day.set(key, (day.get(key) ?? 0) + r.billedCost);
  }
  const totals = stack.map((day) => [...day.values()].reduce((a, b) => a + Math.max(0, b), 0));
  const max = niceMax(Math.max(...totals));
  const plotWidth = frame.width - frame.left - frame.right;
  const plotHeight = frame.height - frame.top - frame.bottom;
  const slot = plotWidth / dates.length;
  const x = (i: number) => frame.left + slot * (i + 0.5);
  const y = (v: number) => frame.top + plotHeight - (plotHeight * v) / max;
  const bars: string[] = [];
  stack.forEach((day, i) => {
    let base = 0;
    series.forEach((name, s) => {
      const value = Math.max(0, day.get(name) ?? 0);
      if (value <= 0) return;
      const top0 = y(base + value);
      bars.push(`<rect x="${(x(i) - slot * 0.4).toFixed(1)}" y="${top0.toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${(y(base) - top0).toFixed(1)}" fill="${PALETTE[s % PALETTE.length]}"><title>${escapeHtml(`${dates[i]} ${name}: ${money(value, input.currency)}`)}</title></rect>`);
      base += value;
    });
  });
  const marks = (input.anomalies ?? [])
    .filter((a) => a.currency === input.currency && dates.includes(a.date))
    .map((a) => {
      const i = dates.indexOf(a.date);
      return `<circle cx="${x(i).toFixed(1)}" cy="${Math.max(frame.top + 6, y(totals[i]!) - 10).toFixed(1)}" r="6" fill="none" stroke="#C00000" stroke-width="2.5"><title>${escapeHtml(`Anomaly ${a.date} ${a.group}: ${money(a.cost, a.currency)} vs ${money(a.expected, a.currency)} expected`)}</title></circle>`;
    });
  const legend = series.map((name, s) => `<li><span class="swatch" style="background:${PALETTE[s % PALETTE.length]}"></span>${escapeHtml(name)}</li>`).join('');
  return [
    `<svg id="chart-daily" role="img" aria-label="Daily cost by service" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" xmlns="http://www.w3.org/2000/svg">`,
    `<rect width="${frame.width}" height="${frame.height}" fill="#ffffff"/>`,
    yAxis(frame, max, input.currency),
    bars.join(''),
    marks.join(''),
    xLabels(frame, dates, x),
    '</svg>',
    `<ul class="legend">${legend}${marks.length > 0 ? '<li><span class="swatch ring"></span>anomaly</li>' : ''}</ul>`,
  ].join('\n');
}

function forecastChart(input: CostReportInput, forecast: SourceForecast): string {
  const frame = FRAME;
  const history = forecast.history.slice(-60);
  const dates = [...history.map((p) => p.date), ...forecast.total.dates];
  if (dates.length === 0) return '<p class="empty">No history to forecast from.</p>';
  const max = niceMax(Math.max(...history.map((p) => p.cost), ...forecast.total.upper, 0));
  const plotWidth = frame.width - frame.left - frame.right;
  const plotHeight = frame.height - frame.top - frame.bottom;
  const x = (i: number) => frame.left + (dates.length === 1 ? plotWidth / 2 : (plotWidth * i) / (dates.length - 1));
  const y = (v: number) => frame.top + plotHeight - (plotHeight * Math.max(0, v)) / max;
  const offset = history.length;
  const points = (values: readonly number[], from: number) => values.map((v, i) => `${x(from + i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const lowerReversed = forecast.total.lower
    .map((v, i) => ({ v, i }))
    .reverse()
    .map(({ v, i }) => `${x(offset + i).toFixed(1)},${y(v).toFixed(1)}`)
    .join(' ');
  return [
    `<svg id="chart-forecast" role="img" aria-label="Daily cost forecast with its ${Math.round(forecast.level * 100)} % interval" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" xmlns="http://www.w3.org/2000/svg">`,
    `<rect width="${frame.width}" height="${frame.height}" fill="#ffffff"/>`,
    yAxis(frame, max, input.currency),
    `<polygon points="${points(forecast.total.upper, offset)} ${lowerReversed}" fill="#56B4E9" fill-opacity="0.35" stroke="none"><title>${escapeHtml(`${Math.round(forecast.level * 100)} % interval`)}</title></polygon>`,
    `<polyline points="${points(history.map((p) => p.cost), 0)}" fill="none" stroke="#0072B2" stroke-width="2.5"/>`,
    `<polyline points="${points(forecast.total.forecast, offset)}" fill="none" stroke="#0072B2" stroke-width="2.5" stroke-dasharray="6 4"/>`,
    xLabels(frame, dates, x),
    '</svg>',
    `<ul class="legend"><li><span class="swatch" style="background:#0072B2"></span>history (solid) and forecast (dashed)</li><li><span class="swatch" style="background:#56B4E9"></span>${Math.round(forecast.level * 100)} % interval</li></ul>`,
    `<p>Expected over the next ${forecast.total.dates.length} days: <strong>${escapeHtml(money(forecast.expectedTotal, forecast.currency))}</strong>.</p>`,
  ].join('\n');
}

function table(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  if (rows.length === 0) return '<p class="empty">None.</p>';
  const th = headers.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1000px;color:#1b1b1b;background:#fff}
h1{font-size:24px}h2{font-size:18px;margin-top:32px}svg{display:block;max-width:100%;height:auto}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:12px;font-size:13px}.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}
.ring{border:2.5px solid #C00000;border-radius:50%;width:8px;height:8px}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}.num{text-align:right;white-space:nowrap}.summary{font-size:15px}.empty{color:#666}`;

/**
 * Renders a self-contained HTML page (inline CSS and SVG, no script, no external resource):
 * daily cost by service as stacked bars with anomalies circled, the forecast with its interval
 * band, and tables of anomalies, budgets and savings. Every text is escaped. Deterministic: the
 * same input gives the same bytes.
 */
export function renderCostReport(input: CostReportInput): string {
  const title = input.title ?? 'Cloud cost report';
  const rows = input.daily.filter((r) => r.currency === input.currency);
  const otherCurrencies = [...new Set(input.daily.filter((r) => r.currency !== input.currency).map((r) => r.currency))].sort();
  const total = rows.reduce((sum, r) => sum + r.billedCost, 0);
  const dates = rows.map((r) => r.periodStart.slice(0, 10)).sort();
  const anomalies = (input.anomalies ?? []).filter((a) => a.currency === input.currency);
  const savings = input.savings ?? [];
  const savingsTotal = savings.filter((s) => s.currency === input.currency).reduce((sum, s) => sum + s.monthlySaving, 0);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="summary">${dates.length > 0 ? `${escapeHtml(dates[0])} to ${escapeHtml(dates[dates.length - 1])}: ` : ''}<strong>${escapeHtml(money(total, input.currency))}</strong> billed; ${anomalies.length} anomal${anomalies.length === 1 ? 'y' : 'ies'}; savings found: <strong>${escapeHtml(money(savingsTotal, input.currency))}</strong> a month.${input.generatedAt ? ` Generated ${escapeHtml(input.generatedAt)}.` : ''}</p>`,
    otherCurrencies.length > 0 ? `<p class="empty">Rows in ${escapeHtml(otherCurrencies.join(', '))} are not shown (amounts in different currencies are never added).</p>` : '',
    '<h2>Daily cost by service</h2>',
    dailyChart(input, rows),
    ...(input.forecast ? ['<h2>Forecast</h2>', forecastChart(input, input.forecast)] : []),
    '<h2>Anomalies</h2>',
    table(
      ['Date', 'Group', 'Cost', 'Expected', 'Impact'],
      anomalies.map((a) => [a.date, a.group, money(a.cost, a.currency), money(a.expected, a.currency), money(a.impact, a.currency)]),
      [2, 3, 4],
    ),
    ...(input.budgets
      ? ['<h2>Budgets</h2>', table(['Budget', 'State', 'Actual', 'Projected', 'Amount'], input.budgets.map((b) => [b.name, b.state, money(b.actual, b.currency), money(b.projected, b.currency), money(b.amount, b.currency)]), [2, 3, 4])]
      : []),
    '<h2>Savings</h2>',
    table(
      ['Kind', 'Resource', 'Recommendation', 'Monthly saving'],
      savings.map((s) => [s.kind, s.resourceId, s.title, money(s.monthlySaving, s.currency)]),
      [3],
    ),
    '</body></html>',
    '',
  ].join('\n');
}
