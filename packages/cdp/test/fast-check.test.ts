import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { obviouslyValid } from '../src/messages/fast-check';
import { callSchemas } from '../src/messages/schemas';

// The collector's fast path must never accept what the zod schemas refuse.
describe('obviouslyValid', () => {
  const types = ['identify', 'track', 'page', 'group', 'alias'] as const;
  const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date(), fc.object(), fc.array(fc.anything()));
  const input = fc.dictionary(
    fc.constantFrom('messageId', 'timestamp', 'userId', 'anonymousId', 'context', 'traits', 'event', 'properties', 'name', 'category', 'groupId', 'previousId', 'integrations', 'extra'),
    anyValue,
  );

  it('accepts only inputs the schemas accept', () => {
    fc.assert(
      fc.property(fc.constantFrom(...types), input, (type, candidate) => {
        if (obviouslyValid(type, candidate)) expect(callSchemas[type].safeParse(candidate).success).toBe(true);
        else expect(true).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the typical call', () => {
    expect(obviouslyValid('track', { userId: 'u', event: 'E', properties: { a: [1, 'x', { b: null }] } })).toBe(true);
    expect(obviouslyValid('track', { userId: 'u', event: 'E', properties: { a: Number.NaN } })).toBe(false);
    expect(obviouslyValid('alias', { userId: 'u' })).toBe(false);
  });
});
