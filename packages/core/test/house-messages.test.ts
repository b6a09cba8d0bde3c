import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { checkFactoryOptions, closestMatch, ConfigError, parse, ValidationError } from '../src/index';
import type { OptionKeys } from '../src/index';

function issuesOf(schema: z.ZodType, input: unknown): string[] {
  try {
    parse(schema, input);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => `${issue.path}: ${issue.message}`);
    throw error;
  }
  throw new Error('parsed');
}

describe('house-style validation messages', () => {
  it('says what was expected and what type arrived, never the value', () => {
    expect(issuesOf(z.object({ port: z.number() }), { port: 'secret-8080' })).toEqual(['port: expected a number, got a string']);
    expect(issuesOf(z.object({ now: z.union([z.date(), z.string()]) }), { now: 42 })).toEqual(['now: expected a Date or a string, got a number']);
    expect(issuesOf(z.object({ name: z.string() }), {})).toEqual(['name: Required']);
  });

  it('words lengths and bounds as rules', () => {
    expect(issuesOf(z.object({ id: z.string().min(1) }), { id: '' })).toEqual(['id: must not be empty']);
    expect(issuesOf(z.object({ id: z.string().max(3) }), { id: 'abcd' })).toEqual(['id: must be at most 3 characters']);
    expect(issuesOf(z.object({ n: z.number().min(0) }), { n: -1 })).toEqual(['n: must be ≥ 0']);
    expect(issuesOf(z.object({ n: z.number().lt(10) }), { n: 10 })).toEqual(['n: must be < 10']);
    expect(issuesOf(z.object({ list: z.array(z.string()).min(2) }), { list: ['a'] })).toEqual(['list: must have at least 2 items']);
  });

  it('does not echo a value that failed a pattern, and suggests known keys', () => {
    const messages = issuesOf(z.object({ at: z.string().regex(/^\d\d:\d\d$/) }), { at: 'hunter2-password' });
    expect(messages).toEqual(['at: has the wrong format']);
    expect(issuesOf(z.strictObject({ root: z.string() }), { root: 'x', roots: 'y' })).toEqual([': unknown key "roots" (did you mean "root"?)']);
  });

  it('keeps messages a schema sets itself', () => {
    expect(issuesOf(z.object({ at: z.string().regex(/^\d\d:\d\d$/, "expected 'HH:mm'") }), { at: '9am' })).toEqual(["at: expected 'HH:mm'"]);
  });
});

describe('closestMatch', () => {
  it('suggests close names only', () => {
    expect(closestMatch('roots', ['root', 'baseUrl'])).toBe('root');
    expect(closestMatch('singingSecret', ['root', 'signingSecret'])).toBe('signingSecret');
    expect(closestMatch('BASEURL', ['baseUrl'])).toBe('baseUrl');
    expect(closestMatch('tiemoutMs', ['timeoutMs'])).toBe('timeoutMs');
    expect(closestMatch('zzz', ['root', 'baseUrl'])).toBeUndefined();
  });
});

describe('checkFactoryOptions', () => {
  interface FsLike {
    root: string;
    signingSecret?: string | undefined;
    baseUrl?: string | undefined;
  }
  const keys: OptionKeys<FsLike> = { root: true, signingSecret: true, baseUrl: true };
  const check = (options: unknown) => checkFactoryOptions<FsLike>(options, keys, { factory: 'createFsStorage', provider: 'fs', required: ['root'] });

  it('refuses missing options with a ConfigError naming what is required', () => {
    expect(() => check(undefined)).toThrow(ConfigError);
    expect(() => check(undefined)).toThrow('createFsStorage: options: must be an options object with root, got nothing');
    expect(() => check('./data')).toThrow('got a string');
  });

  it('names unknown options with a suggestion, and missing required ones, never values', () => {
    let caught: unknown;
    try {
      check({ roots: './data', signingSecret: 's3cr3t-value', bogusOption: 1 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.issues).toEqual([
      { path: 'options.roots', message: 'unknown option (did you mean "root"?)' },
      { path: 'options.bogusOption', message: 'unknown option; known options: root, signingSecret, baseUrl' },
      { path: 'options.root', message: 'Required' },
    ]);
    expect(error.message).not.toContain('s3cr3t-value');
    expect(error.provider).toBe('fs');
  });

  it('accepts known options, with optional ones undefined', () => {
    const options: unknown = { root: './data', baseUrl: undefined };
    checkFactoryOptions<FsLike>(options, keys, { factory: 'createFsStorage', required: ['root'] });
    expect(options.root).toBe('./data');
  });
});
