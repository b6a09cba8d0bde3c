// The sync window shared by the adapters: which occurrences `sync` reports, and when a token's
// window has fallen far enough behind the clock that a re-baseline (a full resync over the
// current window) is due. Providers that bake the window into their own token (Graph's
// deltaLink) or have none (Google's syncToken covers everything) both get it from here, so
// `sync` means the same everywhere.
import type { Clock } from '@almanac/core';
import type { TimeRange } from '../spec';

const DAY_MS = 86_400_000;

/** How far `sync` looks back and ahead, and how often it re-baselines. */
export interface SyncWindowSettings {
  /** Days before now the window starts. Default 30. */
  readonly pastDays?: number | undefined;
  /** Days after now the window ends. Default 365. */
  readonly futureDays?: number | undefined;
  /**
   * Re-baseline (a full resync over the window around the current time, `fullResync: true`)
   * once the token's window ends more than this many days before `now + futureDays`. Default 30:
   * occurrences 335–365 days out may show up to 30 days late, and nothing is ever lost.
   */
  readonly rebaselineDays?: number | undefined;
}

/** The default window: 30 days back, 365 ahead, re-baselined every 30 days. */
export const DEFAULT_SYNC_WINDOW = Object.freeze({ pastDays: 30, futureDays: 365, rebaselineDays: 30 });

/** The window a full sync at `now` covers. */
export function windowAt(now: number, settings: SyncWindowSettings = {}): TimeRange {
  const past = settings.pastDays ?? DEFAULT_SYNC_WINDOW.pastDays;
  const future = settings.futureDays ?? DEFAULT_SYNC_WINDOW.futureDays;
  return { start: new Date(now - past * DAY_MS), end: new Date(now + future * DAY_MS) };
}

/** Whether a token's window lags the clock by more than `rebaselineDays`. */
export function rebaselineDue(window: TimeRange, clock: Clock, settings: SyncWindowSettings = {}): boolean {
  const due = windowAt(clock.now(), settings).end.getTime() - window.end.getTime();
  return due > (settings.rebaselineDays ?? DEFAULT_SYNC_WINDOW.rebaselineDays) * DAY_MS;
}

const PREFIX = 'aw1.';

/** A sync token: the provider's own token plus the window it covers. Opaque to callers. */
export function encodeSyncToken(window: TimeRange, inner: string): string {
  return `${PREFIX}${window.start.getTime()}.${window.end.getTime()}.${inner}`;
}

/** The window and provider token of {@link encodeSyncToken}; `undefined` for anything else. */
export function decodeSyncToken(token: string): { window: TimeRange; inner: string } | undefined {
  if (!token.startsWith(PREFIX)) return undefined;
  const match = /^(\d{1,15})\.(\d{1,15})\.(.+)$/s.exec(token.slice(PREFIX.length));
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  if (!(end > start)) return undefined;
  return { window: { start: new Date(start), end: new Date(end) }, inner: match[3] as string };
}

/** Whether an event (by its instants) overlaps the window. */
export function overlapsWindow(start: Date, end: Date, window: TimeRange): boolean {
  return end.getTime() > window.start.getTime() && start.getTime() < window.end.getTime();
}
