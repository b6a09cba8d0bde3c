// Shared pieces of the two webhook fuzz files (one per endpoint, so vitest runs them in
// parallel): the mutation generator and a one-character flip.
import fc from 'fast-check';

export const RUNS = 10_000;

// Explicit lengths everywhere: fast-check's default size would keep strings tiny.
export const mutation = fc.record({
  position: fc.nat({ max: 10_000 }),
  noise: fc.string({ minLength: 1, maxLength: 24 }),
  header: fc.constantFrom('Twitch-Eventsub-Message-Id', 'Twitch-Eventsub-Message-Timestamp', 'Twitch-Eventsub-Message-Signature', 'Twitch-Eventsub-Message-Type'),
  skewMs: fc.integer({ min: 10 * 60_000 + 1, max: 400 * 24 * 3_600_000 }),
  pick: fc.nat({ max: 1_000_000 }),
});

/** Replaces the character at `position` (mod length) with another one. */
export function flip(text: string, position: number): string {
  const i = position % text.length;
  const c = text.charCodeAt(i);
  return text.slice(0, i) + String.fromCharCode(c === 0x61 ? 0x62 : 0x61) + text.slice(i + 1);
}
