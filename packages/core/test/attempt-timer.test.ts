import { describe, expect, it } from 'vitest';
import { createManualClock } from '../src/clock';
import { TimeoutError } from '../src/errors';
import { startTimer } from '../src/http/attempt-timer';

describe('startTimer on a manual clock', () => {
  it('fires after ms as a deadline sleep, and not once cancelled', async () => {
    const clock = createManualClock(100);
    const fired: number[] = [];
    startTimer(clock, 500, () => fired.push(clock.now()), new TimeoutError('settled'));
    // A request timeout: runWithClock holds it back while the reply may still arrive.
    expect(clock.nextDueAt('deadline')).toBe(600);
    expect(clock.nextDueAt('wait')).toBeUndefined();
    await clock.advance(500);
    expect(fired).toEqual([600]);
    const cancel = startTimer(clock, 500, () => fired.push(clock.now()), new TimeoutError('settled'));
    cancel();
    await clock.advance(1_000);
    expect(fired).toEqual([600]);
    expect(clock.pendingSleeps()).toBe(0);
  });
});
