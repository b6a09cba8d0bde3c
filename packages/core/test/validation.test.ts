import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod-v3';
import { ValidationError } from '../src/errors';
import { formatPath, parse, parseAsync, toValidationIssues } from '../src/validation';
import type { InferSchemaOutput, StandardSchemaV1 } from '../src/validation';

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

  it('rejects something that is not a schema, naming the argument', () => {
    const error = catchError(() => parse({} as never, 1)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues[0]?.path).toBe('schema');
    // A `~standard` of another version of the spec is not one either.
    const future = { '~standard': { version: 2, vendor: 'x', validate: () => ({ value: 1 }) } };
    expect((catchError(() => parse(future as never, 1)) as ValidationError).issues[0]?.path).toBe('schema');
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

// Standard Schema v1 (https://standardschema.dev): any validator implementing it works, not only zod 4.
const zod3Event = z3.object({
  title: z3.string().min(1),
  limit: z3.number().default(10),
  participants: z3.array(z3.object({ email: z3.string().email(), timeZone: z3.string() })),
});

const valibotEvent = v.object({
  title: v.pipe(v.string(), v.minLength(1)),
  limit: v.optional(v.number(), 10),
  participants: v.array(v.object({ email: v.pipe(v.string(), v.email()), timeZone: v.string() })),
});

describe('parse with Standard Schema validators other than zod 4', () => {
  it('accepts a zod 3 schema: typed output with defaults, every bad field named', () => {
    expect(parse(zod3Event, { title: 'x', participants: [] })).toEqual({ title: 'x', limit: 10, participants: [] });
    const error = catchError(() =>
      parse(zod3Event, { title: '', participants: [{ email: 'nope', timeZone: 'UTC' }, {}] }, { provider: 'acme', operation: 'create', path: 'event' }),
    ) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('validation');
    expect(error.provider).toBe('acme');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      ['event.participants.0.email', 'event.participants.1.email', 'event.participants.1.timeZone', 'event.title'].sort(),
    );
    expect(error.issues).toContainEqual({ path: 'event.participants.1.timeZone', message: 'Required' });
    expect(error.message).toMatch(/^Invalid input to acme create: /);
  });

  it('accepts a valibot schema, joining its `{ key }` path segments', () => {
    expect(parse(valibotEvent, { title: 'x', participants: [] })).toEqual({ title: 'x', limit: 10, participants: [] });
    const error = catchError(() =>
      parse(valibotEvent, { title: '', participants: [{ email: 'a@example.com', timeZone: 'UTC' }, { email: 'nope', timeZone: 'UTC' }] }),
    ) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['participants.1.email', 'title']);
    expect(error.cause).toBeUndefined();
  });

  it('accepts a hand-written Standard Schema, with key, symbol and `{ key }` segments', () => {
    const tag = Symbol('tag');
    const even: StandardSchemaV1<number, number> = {
      '~standard': {
        version: 1,
        vendor: 'handmade',
        validate: (value) =>
          typeof value === 'number' && value % 2 === 0
            ? { value }
            : { issues: [{ message: 'must be even', path: ['a', { key: 1 }, tag] }, { message: 'top level' }] },
      },
    };
    expect(parse(even, 4)).toBe(4);
    expect((catchError(() => parse(even, 3, { path: 'n' })) as ValidationError).issues).toEqual([
      { path: 'n.a.1.tag', message: 'must be even' },
      { path: 'n', message: 'top level' },
    ]);
  });

  it('refuses async schemas synchronously, naming parseAsync, and parseAsync runs them', async () => {
    const taken = new Set(['ada']);
    const valibotAsync = v.objectAsync({ user: v.pipeAsync(v.string(), v.checkAsync(async (name) => !taken.has(name), 'is taken')) });
    const zodAsync = z.object({ user: z.string().refine(async (name) => !taken.has(name), 'is taken') });
    for (const schema of [valibotAsync, zodAsync]) {
      const error = catchError(() => parse(schema, { user: 'bob' })) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.issues).toEqual([{ path: 'schema', message: expect.stringContaining('parseAsync') }]);
      await expect(parseAsync(schema, { user: 'bob' })).resolves.toEqual({ user: 'bob' });
      const failure = await parseAsync(schema, { user: 'ada' }, { path: 'input' }).catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(ValidationError);
      expect((failure as ValidationError).issues).toEqual([{ path: 'input.user', message: 'is taken' }]);
    }
  });

  it('parseAsync works for synchronous schemas of every kind too', async () => {
    await expect(parseAsync(zod3Event, { title: 'x', participants: [] })).resolves.toEqual({ title: 'x', limit: 10, participants: [] });
    await expect(parseAsync(z.string(), 1, { path: 'k' })).rejects.toMatchObject({ code: 'validation', issues: [{ path: 'k' }] });
    await expect(parseAsync({} as never, 1)).rejects.toMatchObject({ issues: [{ path: 'schema' }] });
  });

  it('types the output from the schema, for zod 3, zod 4 and valibot (no TS2740 for zod 3)', () => {
    // Checked by `tsc` (npm run typecheck): a zod 3 schema used to be rejected at compile time.
    const fromZod3 = parse(z3.object({ bucket: z3.string(), retries: z3.number().optional() }), { bucket: 'b' });
    expectTypeOf(fromZod3).toEqualTypeOf<{ bucket: string; retries?: number | undefined }>();
    expectTypeOf(parse(z.object({ n: z.number() }), { n: 1 })).toEqualTypeOf<{ n: number }>();
    expectTypeOf(parse(v.object({ n: v.number() }), { n: 1 })).toEqualTypeOf<{ n: number }>();
    expectTypeOf<InferSchemaOutput<typeof zod3Event>>().toEqualTypeOf<z3.output<typeof zod3Event>>();
    // @ts-expect-error: not a schema
    expect(() => parse({ parse: () => 1 }, 1)).toThrow(ValidationError);
  });
});

describe('formatPath and toValidationIssues', () => {
  it('joins segments with dots under a prefix', () => {
    expect(formatPath(['participants', 0, 'timeZone'])).toBe('participants.0.timeZone');
    expect(formatPath([], 'options')).toBe('options');
    expect(formatPath(['a'], 'options')).toBe('options.a');
    expect(formatPath([Symbol('tag')])).toBe('tag');
    expect(formatPath([{ key: 'a' }, { key: 0 }, 'b'])).toBe('a.0.b');
  });

  it('converts a zod error into issues', () => {
    const result = z.object({ a: z.string() }).safeParse({ a: 1 });
    expect(result.success).toBe(false);
    if (!result.success) expect(toValidationIssues(result.error, 'in')[0]?.path).toBe('in.a');
  });
});
