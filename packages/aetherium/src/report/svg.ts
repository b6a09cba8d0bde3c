// Small SVG helpers: every chart is plain SVG markup, readable without JavaScript.

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A "nice" upper bound for an axis (1, 2, 2.5 or 5 × a power of ten, at least `max`). */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

/** Formats an amount with two decimals (or none above 1000) and its currency code. */
export function money(amount: number, currency: string): string {
  const digits = Math.abs(amount) >= 1000 ? 0 : 2;
  const text = amount.toFixed(digits).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${text} ${currency}`;
}

/** Eight colours that stay apart for common colour-vision deficiencies (Okabe–Ito). */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#999999'] as const;

/** Layout of a chart's plot area inside its SVG. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The default frame: 960 × 320 with room for axis labels. */
export const FRAME: Frame = { width: 960, height: 320, left: 92, right: 20, top: 20, bottom: 40 };

/** Y axis with 5 gridlines labelled in `currency`. */
export function yAxis(frame: Frame, max: number, currency: string): string {
  const plotHeight = frame.height - frame.top - frame.bottom;
  const lines: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    const y = frame.top + plotHeight - (plotHeight * i) / 4;
    lines.push(`<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e3e3e3"/>`);
    lines.push(`<text x="${frame.left - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#555">${escapeHtml(money(value, currency))}</text>`);
  }
  return lines.join('');
}

/** X labels for `dates`, about one a week. */
export function xLabels(frame: Frame, dates: readonly string[], x: (index: number) => number): string {
  const step = Math.max(1, Math.ceil(dates.length / 10));
  return dates
    .map((date, i) => (i % step === 0 ? `<text x="${x(i).toFixed(1)}" y="${frame.height - frame.bottom + 16}" text-anchor="middle" font-size="11" fill="#555">${escapeHtml(date.slice(5))}</text>` : ''))
    .join('');
}
