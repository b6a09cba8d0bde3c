import * as v from 'valibot';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod-v3';
import { ConfigError, ValidationError } from '../src/errors';
import { envVarName, loadConfig } from '../src/validation';
import type { StandardSchemaV1 } from '../src/validation';

const s3Schema = z.object({
  bucket: z.string().min(3),
  region: z.string().default('us-east-1'),
  accessKeyId: z.string(),
  secretAccessKey: z.string(),
  forcePathStyle: z.boolean().default(false),
  maxRetries: z.number().int().min(0).optional(),
  endpoint: z.url().optional(),
});

const prefix = 'ALMANAC_S3_';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('envVarName', () => {
  it('maps camelCase keys to prefixed UPPER_SNAKE names', () => {
    expect(envVarName(prefix, 'bucket')).toBe('ALMANAC_S3_BUCKET');
    expect(envVarName(prefix, 'forcePathStyle')).toBe('ALMANAC_S3_FORCE_PATH_STYLE');
    expect(envVarName(prefix, 'baseURL')).toBe('ALMANAC_S3_BASE_URL');
    expect(envVarName(prefix, 's3Bucket')).toBe('ALMANAC_S3_S3_BUCKET');
    expect(envVarName('X_', 'oauth2ClientId')).toBe('X_OAUTH2_CLIENT_ID');
  });
});

describe('loadConfig', () => {
  it('reads prefixed variables onto camelCase keys and coerces booleans and numbers', () => {
    const config = loadConfig(
      s3Schema,
      {
        ALMANAC_S3_BUCKET: 'media',
        ALMANAC_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
        ALMANAC_S3_SECRET_ACCESS_KEY: 'shh-very-secret',
        ALMANAC_S3_FORCE_PATH_STYLE: 'TRUE',
        ALMANAC_S3_MAX_RETRIES: ' 3 ',
        OTHER_BUCKET: 'ignored',
      },
      { prefix },
    );
    expect(config).toEqual({
      bucket: 'media',
      region: 'us-east-1',
      accessKeyId: 'AKIAEXAMPLE',
      secretAccessKey: 'shh-very-secret',
      forcePathStyle: true,
      maxRetries: 3,
    });
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['On', true],
    ['false', false],
    ['0', false],
    ['NO', false],
    ['off', false],
  ])('reads boolean %s as %s', (raw, expected) => {
    const schema = z.object({ flag: z.boolean() });
    expect(loadConfig(schema, { P_FLAG: raw }, { prefix: 'P_' }).flag).toBe(expected);
  });

  it('treats empty variables as unset so defaults and optionals apply', () => {
    const schema = z.object({ region: z.string().default('eu-west-1'), port: z.number().optional() });
    expect(loadConfig(schema, { P_REGION: '', P_PORT: '  ' }, { prefix: 'P_' })).toEqual({ region: 'eu-west-1' });
  });

  it('splits comma-separated lists and coerces their items', () => {
    const schema = z.object({ hosts: z.array(z.string()), ports: z.array(z.number()) });
    expect(loadConfig(schema, { P_HOSTS: 'a, b,,c', P_PORTS: '80,443' }, { prefix: 'P_' })).toEqual({
      hosts: ['a', 'b', 'c'],
      ports: [80, 443],
    });
  });

  it('passes strings through to transforms, enums and z.coerce', () => {
    const schema = z.object({
      mode: z.enum(['fast', 'safe']),
      timeoutMs: z.coerce.number(),
      tags: z.string().transform((value) => value.split(':')),
      level: z.literal(2),
    });
    expect(loadConfig(schema, { P_MODE: 'safe', P_TIMEOUT_MS: '250', P_TAGS: 'a:b', P_LEVEL: '2' }, { prefix: 'P_' })).toEqual({
      mode: 'safe',
      timeoutMs: 250,
      tags: ['a', 'b'],
      level: 2,
    });
  });

  it('lists every missing and invalid variable at once, by env var name', () => {
    const error = configError(() =>
      loadConfig(
        s3Schema,
        {
          ALMANAC_S3_BUCKET: 'ab',
          ALMANAC_S3_FORCE_PATH_STYLE: 'perhaps',
          ALMANAC_S3_MAX_RETRIES: 'lots',
          ALMANAC_S3_ENDPOINT: 'not a url',
        },
        { prefix, provider: 's3' },
      ),
    );
    expect(error.code).toBe('config');
    expect(error.provider).toBe('s3');
    const byPath = Object.fromEntries(error.issues.map((issue) => [issue.path, issue.message]));
    expect(Object.keys(byPath).sort()).toEqual(
      [
        'ALMANAC_S3_ACCESS_KEY_ID',
        'ALMANAC_S3_BUCKET',
        'ALMANAC_S3_ENDPOINT',
        'ALMANAC_S3_FORCE_PATH_STYLE',
        'ALMANAC_S3_MAX_RETRIES',
        'ALMANAC_S3_SECRET_ACCESS_KEY',
      ].sort(),
    );
    expect(byPath['ALMANAC_S3_ACCESS_KEY_ID']).toBe('is required but not set');
    expect(byPath['ALMANAC_S3_FORCE_PATH_STYLE']).toMatch(/boolean/);
    expect(byPath['ALMANAC_S3_MAX_RETRIES']).toMatch(/number/);
    for (const name of Object.keys(byPath)) expect(error.message).toContain(name);
  });

  it('reports a bad list item by variable and position', () => {
    const schema = z.object({ ports: z.array(z.number()) });
    const error = configError(() => loadConfig(schema, { P_PORTS: '80,http' }, { prefix: 'P_' }));
    expect(error.issues).toEqual([{ path: 'P_PORTS', message: 'item 1 must be a finite number' }]);
  });

  it('never puts a variable value in the message or issues, even from schema messages that echo input', () => {
    const secret = 'sk_live_CANARY_9f8e7d6c';
    const schema = z.object({
      apiKey: z.string().refine((value) => value.startsWith('pk_'), { error: (issue) => `bad key ${String(issue.input)}` }),
      webhookSecret: z.string().min(64),
      port: z.number(),
      region: z.enum(['eu', 'us']),
    });
    const error = configError(() =>
      loadConfig(schema, { P_API_KEY: secret, P_WEBHOOK_SECRET: `${secret}-2`, P_PORT: `${secret}-3`, P_REGION: `${secret}-4` }, { prefix: 'P_' }),
    );
    expect(error.issues).toHaveLength(4);
    const everything = JSON.stringify({ message: error.message, issues: error.issues, json: error.toJSON() });
    expect(everything).not.toContain('CANARY');
    expect(error.cause).toBeUndefined();
  });

  it('reports object-level refinements', () => {
    const schema = z
      .object({ user: z.string().optional(), password: z.string().optional() })
      .refine((config) => (config.user === undefined) === (config.password === undefined), {
        error: 'set both or neither',
        path: ['password'],
      });
    const error = configError(() => loadConfig(schema, { P_USER: 'ada' }, { prefix: 'P_' }));
    expect(error.issues).toEqual([{ path: 'P_PASSWORD', message: 'set both or neither' }]);
  });

  it('validates its own arguments, naming them', () => {
    const bad = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues.map((issue) => issue.path);
      }
      throw new Error('expected a throw');
    };
    expect(bad(() => loadConfig(z.string() as never, {}, { prefix }))).toEqual(['schema']);
    expect(bad(() => loadConfig({} as never, {}, { prefix }))).toEqual(['schema']);
    expect(bad(() => loadConfig(s3Schema, null as never, { prefix }))).toEqual(['env']);
    expect(bad(() => loadConfig(s3Schema, {}, {} as never))).toEqual(['options.prefix']);
    expect(bad(() => loadConfig(s3Schema, {}, { prefix, keys: ['bucket', ''] }))).toEqual(['options.keys']);
  });

  it('refuses a schema with async checks, naming the schema', () => {
    const schema = z.object({ token: z.string().refine(async () => true) });
    expect(() => loadConfig(schema, { P_TOKEN: 'abcd' }, { prefix: 'P_' })).toThrow(ValidationError);
    const valibot = v.objectAsync({ token: v.pipeAsync(v.string(), v.checkAsync(async () => true)) });
    try {
      loadConfig(valibot, { P_TOKEN: 'abcd' }, { prefix: 'P_' });
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([{ path: 'schema', message: expect.stringContaining('async') }]);
    }
  });
});

// Standard Schema v1 (https://standardschema.dev): zod 3 and valibot schemas work too.
describe('loadConfig with zod 3', () => {
  const schema = z3.object({
    bucket: z3.string().min(3),
    region: z3.string().default('us-east-1'),
    forcePathStyle: z3.boolean().default(false),
    maxRetries: z3.number().int().optional(),
    ports: z3.array(z3.number()).optional(),
    level: z3.literal(2).optional(),
    tags: z3.preprocess((value) => String(value).split(':'), z3.array(z3.string())).optional(),
  });

  it('reads and coerces like zod 4 (booleans, numbers, lists, literals)', () => {
    const config = loadConfig(
      schema,
      { P_BUCKET: 'media', P_FORCE_PATH_STYLE: 'yes', P_MAX_RETRIES: '3', P_PORTS: '80, 443', P_LEVEL: '2', P_TAGS: 'a:b' },
      { prefix: 'P_' },
    );
    expect(config).toEqual({ bucket: 'media', region: 'us-east-1', forcePathStyle: true, maxRetries: 3, ports: [80, 443], level: 2, tags: ['a', 'b'] });
    expectTypeOf(config.forcePathStyle).toEqualTypeOf<boolean>();
  });

  it('names every missing or invalid variable', () => {
    const error = configError(() => loadConfig(schema, { P_BUCKET: 'ab', P_FORCE_PATH_STYLE: 'maybe', P_MAX_RETRIES: '1.5' }, { prefix: 'P_', provider: 's3' }));
    expect(error.provider).toBe('s3');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['P_BUCKET', 'P_FORCE_PATH_STYLE', 'P_MAX_RETRIES']);
    expect(error.issues.find((issue) => issue.path === 'P_FORCE_PATH_STYLE')?.message).toMatch(/boolean/);
    expect(configError(() => loadConfig(schema, {}, { prefix: 'P_' })).issues).toEqual([{ path: 'P_BUCKET', message: 'is required but not set' }]);
  });

  it('reads through refinements and reports them under the variable', () => {
    const refined = z3
      .object({ user: z3.string().optional(), password: z3.string().optional() })
      .refine((config) => (config.user === undefined) === (config.password === undefined), { message: 'set both or neither', path: ['password'] });
    expect(loadConfig(refined, { P_USER: 'ada', P_PASSWORD: 'pw' }, { prefix: 'P_' })).toEqual({ user: 'ada', password: 'pw' });
    expect(configError(() => loadConfig(refined, { P_USER: 'ada' }, { prefix: 'P_' })).issues).toEqual([
      { path: 'P_PASSWORD', message: 'set both or neither' },
    ]);
  });
});

describe('loadConfig with valibot', () => {
  const schema = v.object({
    apiKey: v.pipe(v.string(), v.minLength(8)),
    region: v.optional(v.picklist(['eu', 'us']), 'eu'),
    // Other libraries get raw strings: coercion is the schema's job.
    port: v.optional(v.pipe(v.string(), v.transform(Number), v.integer())),
  });

  it('reads the keys of the object schema and validates with valibot', () => {
    const config = loadConfig(schema, { P_API_KEY: 'key-12345', P_PORT: '8080', P_OTHER: 'ignored' }, { prefix: 'P_' });
    expect(config).toEqual({ apiKey: 'key-12345', region: 'eu', port: 8080 });
    expectTypeOf(config.port).toEqualTypeOf<number | undefined>();
  });

  it('names the failing variables and never echoes a value, although valibot messages quote the input', () => {
    const secret = 'sk_live_CANARY_1234';
    const error = configError(() => loadConfig(schema, { P_REGION: secret, P_PORT: `${secret}-2` }, { prefix: 'P_' }));
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['P_API_KEY', 'P_PORT', 'P_REGION']);
    expect(error.issues.find((issue) => issue.path === 'P_REGION')?.message).toContain('[REDACTED]');
    expect(JSON.stringify({ message: error.message, issues: error.issues })).not.toContain('CANARY');
  });

  it('reads through a pipe on the object', () => {
    const piped = v.pipe(
      v.object({ from: v.string(), to: v.string() }),
      v.check((range) => range.from <= range.to, 'from must not be after to'),
    );
    expect(loadConfig(piped, { P_FROM: 'a', P_TO: 'b' }, { prefix: 'P_' })).toEqual({ from: 'a', to: 'b' });
    expect(configError(() => loadConfig(piped, { P_FROM: 'b', P_TO: 'a' }, { prefix: 'P_' })).issues).toEqual([
      { path: '', message: 'from must not be after to' },
    ]);
  });
});

describe('loadConfig with a schema whose keys it cannot read', () => {
  // A Standard Schema exposes only `validate`; arktype-style schemas need `keys`.
  const opaque: StandardSchemaV1<unknown, { host: string; port?: string }> = {
    '~standard': {
      version: 1,
      vendor: 'handmade',
      validate: (value) => {
        const record = value as Record<string, unknown>;
        return typeof record['host'] === 'string'
          ? { value: record as { host: string; port?: string } }
          : { issues: [{ message: 'is needed', path: [{ key: 'host' }] }] };
      },
    },
  };

  it('asks for options.keys, then reads exactly those', () => {
    expect(() => loadConfig(opaque, { P_HOST: 'h' }, { prefix: 'P_' })).toThrow(/options\.keys/);
    expect(loadConfig(opaque, { P_HOST: 'h', P_PORT: '80', P_EXTRA: 'x' }, { prefix: 'P_', keys: ['host', 'port'] })).toEqual({ host: 'h', port: '80' });
    expect(configError(() => loadConfig(opaque, {}, { prefix: 'P_', keys: ['host'] })).issues).toEqual([{ path: 'P_HOST', message: 'is needed' }]);
  });
});
