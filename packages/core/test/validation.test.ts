import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../src/errors';
import { formatPath, parse, toValidationIssues } from '../src/validation';

const eventSchema = z.object({
  title: z.string().min(1),
  startsAt: z.iso.datetime(),
  participants: z.array(z.object({ email: z.email(), timeZone: z.string() })),
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('parse', () => {
  it('returns the typed output on success, with transforms and defaults applied', () => {
    const schema = z.object({ name: z.string().trim(), limit: z.number().default(10) });
    const out = parse(schema, { name: '  ada ' });
    expect(out).toEqual({ name: 'ada', limit: 10 });
  });

  it('names every bad field with dotted paths in one ValidationError', () => {
    const error = catchError(() =>
      parse(eventSchema, {
        title: '',
        startsAt: 'tomorrow',
        participants: [{ email: 'a@example.com', timeZone: 'UTC' }, { email: 'nope' }],
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    const issues = (error as ValidationError).issues;
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      ['participants.1.email', 'participants.1.timeZone', 'startsAt', 'title'].sort(),
    );
    for (const path of ['participants.1.email', 'participants.1.timeZone', 'startsAt', 'title']) {
      expect((error as ValidationError).message).toContain(path);
    }
  });

  it('says "Required" for a missing field instead of zod\'s type jargon', () => {
    const error = catchError(() => parse(eventSchema, { title: 'x', startsAt: '2024-01-01T00:00:00Z', participants: [{ email: 'a@b.co' }] }));
    expect((error as ValidationError).issues).toEqual([{ path: 'participants.0.timeZone', message: 'Required' }]);
  });

  it('keeps custom messages given in the schema', () => {
    const schema = z.object({ bucket: z.string({ error: 'bucket name is needed' }) });
    const error = catchError(() => parse(schema, {}));
    expect((error as ValidationError).issues).toEqual([{ path: 'bucket', message: 'bucket name is needed' }]);
  });

  it('prefixes paths with context.path and carries provider and operation', () => {
    const schema = z.object({ bucket: z.string(), region: z.string() });
    const error = catchError(() => parse(schema, { region: 5 }, { provider: 's3', operation: 'put', path: 'options' })) as ValidationError;
    expect(error.issues.map((issue) => issue.path)).toEqual(['options.bucket', 'options.region']);
    expect(error.provider).toBe('s3');
    expect(error.operation).toBe('put');
    expect(error.message).toMatch(/^Invalid input to s3 put: options\.bucket: Required; options\.region: /);
    expect(error.code).toBe('validation');
  });

  it('reports an invalid top-level input under the prefix, or as (input)', () => {
    expect((catchError(() => parse(z.string(), 42, { path: 'key' })) as ValidationError).issues[0]?.path).toBe('key');
    expect((catchError(() => parse(z.string(), 42)) as ValidationError).message).toContain('(input)');
  });

  it('rejects something that is not a zod schema, naming the argument', () => {
    const error = catchError(() => parse({} as never, 1)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]?.path).toBe('schema');
  });

  it('succeeds exactly when zod succeeds, and reports one issue per zod issue (property)', () => {
    const schema = z.object({ a: z.number().int(), b: z.array(z.string().max(3)) });
    fc.assert(
      fc.property(fc.record({ a: fc.oneof(fc.integer(), fc.double(), fc.string()), b: fc.array(fc.oneof(fc.string(), fc.integer())) }), (input) => {
        const expected = schema.safeParse(input);
        const error = expected.success ? undefined : catchError(() => parse(schema, input));
        if (expected.success) {
          expect(parse(schema, input)).toEqual(expected.data);
        } else {
          expect((error as ValidationError).issues).toHaveLength(expected.error.issues.length);
        }
      }),
    );
  });
});

describe('formatPath and toValidationIssues', () => {
  it('joins segments with dots under a prefix', () => {
    expect(formatPath(['participants', 0, 'timeZone'])).toBe('participants.0.timeZone');
    expect(formatPath([], 'options')).toBe('options');
    expect(formatPath(['a'], 'options')).toBe('options.a');
    expect(formatPath([Symbol('tag')])).toBe('tag');
  });

  it('converts a zod error into issues', () => {
    const result = z.object({ a: z.string() }).safeParse({ a: 1 });
    expect(result.success).toBe(false);
    if (!result.success) expect(toValidationIssues(result.error, 'in')[0]?.path).toBe('in.a');
  });
});
