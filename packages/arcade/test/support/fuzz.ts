// Shared pieces of the two webhook fuzz files (one per endpoint, so vitest runs them in
// parallel): the mutation generator, a one-character flip, and the loop that sends the generated
// deliveries and keeps count.
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

/** The mutation drawn with each case. */
export type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

/** {@link RUNS} generated (kind, mutation) cases, the same for the same `seed`. */
export function fuzzCases<K extends string>(kinds: readonly K[], seed: number): [K, Mutation][] {
  return fc.sample(fc.tuple(fc.constantFrom(...kinds), mutation), { numRuns: RUNS, seed });
}

/** What a fuzz file builds for one case. */
export interface FuzzDelivery {
  readonly request: Request;
  /** Whether the handler's status is the right answer to this delivery. */
  readonly ok: (status: number) => boolean;
  /** Set for a fresh valid delivery: its id, which must be dispatched exactly once. */
  readonly validId?: string | undefined;
}

/**
 * Sends one delivery per case to `handler`, in order, and waits for its dispatches. `build` gets the
 * case, its index and the ids of the valid deliveries sent before it (for replays). Returns the ids
 * that must have been dispatched, the number of wrong answers, and how often each kind was drawn.
 */
export async function sendDeliveries<K extends string>(
  cases: readonly (readonly [K, Mutation])[],
  handler: { handle(request: Request): Promise<Response>; idle(): Promise<void> },
  build: (kind: K, m: Mutation, index: number, accepted: readonly string[]) => FuzzDelivery,
): Promise<{ expectedValid: Set<string>; wrongAnswers: number; counts: Map<K, number> }> {
  const accepted: string[] = [];
  const expectedValid = new Set<string>();
  let wrongAnswers = 0;
  for (const [index, [kind, m]] of cases.entries()) {
    const { request, ok, validId } = build(kind, m, index, accepted);
    if (validId !== undefined) {
      expectedValid.add(validId);
      accepted.push(validId);
    }
    const response = await handler.handle(request);
    if (!ok(response.status)) wrongAnswers++;
  }
  await handler.idle();
  const counts = new Map<K, number>();
  for (const [kind] of cases) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return { expectedValid, wrongAnswers, counts };
}
