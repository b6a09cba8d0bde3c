import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../src/errors';
import {
  createConsoleLogger,
  createRedactor,
  fromPino,
  isLevelEnabled,
  REDACTED,
  silentLogger,
  withFields,
  withLevel,
  withRedaction,
} from '../src/logger';
import type { LogFields, Logger, LogLevel } from '../src/logger';

type Line = { method: string; args: unknown[] };

function captureConsole() {
  const lines: Line[] = [];
  const record =
    (method: string) =>
    (...args: unknown[]) => {
      lines.push({ method, args });
    };
  const target = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
  // Everything written, rendered the way a terminal would show it (deeply, cycles included).
  const written = () => lines.map((line) => inspect(line.args, { depth: Number.POSITIVE_INFINITY })).join('\n');
  return { target, lines, written };
}

function recordingLogger() {
  const calls: Array<{ level: LogLevel; message: string; fields: LogFields | undefined }> = [];
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => {
    calls.push({ level, message, fields });
  };
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, calls };
}

const CANARY = 'canary-7Hq2-ZZ9-secret-value';

describe('levels', () => {
  it('orders debug < info < warn < error', () => {
    expect(isLevelEnabled('debug', 'info')).toBe(false);
    expect(isLevelEnabled('info', 'info')).toBe(true);
    expect(isLevelEnabled('warn', 'info')).toBe(true);
    expect(isLevelEnabled('error', 'warn')).toBe(true);
    expect(isLevelEnabled('warn', 'error')).toBe(false);
  });

  it('withLevel drops lines below the minimum', () => {
    const { logger, calls } = recordingLogger();
    const filtered = withLevel(logger, 'warn');
    filtered.debug('d');
    filtered.info('i');
    filtered.warn('w', { a: 1 });
    filtered.error('e');
    expect(calls).toEqual([
      { level: 'warn', message: 'w', fields: { a: 1 } },
      { level: 'error', message: 'e', fields: undefined },
    ]);
    expect(() => withLevel(logger, 'loud' as never)).toThrow(ValidationError);
  });

  it('silentLogger accepts every call', () => {
    expect(() => silentLogger.error('x', { a: 1 })).not.toThrow();
  });
});

describe('createConsoleLogger', () => {
  it('writes message and fields to the matching console method at or above level', () => {
    const { target, lines } = captureConsole();
    const logger = createConsoleLogger({ console: target, level: 'info' });
    logger.debug('hidden');
    logger.info('hello', { user: 'ada' });
    logger.warn('careful');
    logger.error('broken', { code: 7 });
    expect(lines).toEqual([
      { method: 'info', args: ['hello', { user: 'ada' }] },
      { method: 'warn', args: ['careful'] },
      { method: 'error', args: ['broken', { code: 7 }] },
    ]);
  });

  it('defaults to info and writes debug when asked', () => {
    const quiet = captureConsole();
    createConsoleLogger({ console: quiet.target }).debug('x');
    expect(quiet.lines).toHaveLength(0);
    const verbose = captureConsole();
    createConsoleLogger({ console: verbose.target, level: 'debug' }).debug('x');
    expect(verbose.lines).toEqual([{ method: 'debug', args: ['x'] }]);
  });

  it('never writes a registered canary secret, wherever it hides', () => {
    const { target, written } = captureConsole();
    const redactor = createRedactor();
    redactor.addSecret(CANARY);
    const logger = createConsoleLogger({ console: target, level: 'debug', redactor });
    const circular: Record<string, unknown> = { note: `inside ${CANARY}` };
    circular['self'] = circular;
    const error = new Error(`request failed with ${CANARY}`, { cause: new Error(`root ${CANARY}`) });
    logger.debug(`token is ${CANARY}`);
    logger.info('fields', { plain: CANARY, nested: { deeper: [{ value: `x${CANARY}y` }] } });
    logger.warn('circular', { circular });
    logger.error('error', { err: error });
    logger.error(`url https://api.example.com/?q=${CANARY}&x=1`, { headers: { 'x-custom': CANARY } });
    const output = written();
    expect(output).not.toContain(CANARY);
    expect(output).toContain(REDACTED);
    expect(output).toContain('request failed with');
  });

  it('masks values by secret key name, at any depth, by default', () => {
    const { target, lines } = captureConsole();
    const logger = createConsoleLogger({ console: target });
    logger.info('request', {
      token: 't1',
      accessToken: 't2',
      clientSecret: 's1',
      password: 'p1',
      headers: { Authorization: 'Bearer abc.def', Cookie: 'sid=1', 'x-api-key': 'k1' },
      config: { apiKey: 'k2', nested: { privateKey: 'pk' } },
      userId: 'u1',
    });
    expect(lines[0]?.args[1]).toEqual({
      token: REDACTED,
      accessToken: REDACTED,
      clientSecret: REDACTED,
      password: REDACTED,
      headers: { Authorization: REDACTED, Cookie: REDACTED, 'x-api-key': REDACTED },
      config: { apiKey: REDACTED, nested: { privateKey: REDACTED } },
      userId: 'u1',
    });
  });

  it('logs errors as fields with name, message and stack', () => {
    const { target, lines } = captureConsole();
    createConsoleLogger({ console: target }).error('failed', { err: new TypeError('bad thing') });
    const field = (lines[0]!.args[1] as { err: Record<string, unknown> }).err;
    expect(field['name']).toBe('TypeError');
    expect(field['message']).toBe('bad thing');
    expect(String(field['stack'])).toContain('bad thing');
  });

  it('does not crash on circular fields', () => {
    const { target, lines } = captureConsole();
    const a: Record<string, unknown> = { name: 'a' };
    const b: Record<string, unknown> = { name: 'b', a };
    a['b'] = b;
    createConsoleLogger({ console: target }).info('cycle', { a });
    const logged = (lines[0]!.args[1] as { a: Record<string, Record<string, unknown>> }).a;
    expect(logged['b']?.['a']).toBe(logged);
  });

  it('writes fields untouched with redactor: false', () => {
    const { target, lines } = captureConsole();
    createConsoleLogger({ console: target, redactor: false }).info('raw', { token: 't' });
    expect(lines[0]?.args[1]).toEqual({ token: 't' });
  });

  it('validates its options', () => {
    expect(() => createConsoleLogger({ console: {} as never })).toThrow(/console/);
    expect(() => createConsoleLogger({ console: captureConsole().target, level: 'verbose' as never })).toThrow(/level/);
  });
});

describe('fromPino', () => {
  function fakePino() {
    const calls: Array<{ level: string; fields: unknown; message: unknown; self: unknown }> = [];
    const pino = {
      debug(this: unknown, fields: LogFields, message: string) {
        calls.push({ level: 'debug', fields, message, self: this });
      },
      info(this: unknown, fields: LogFields, message: string) {
        calls.push({ level: 'info', fields, message, self: this });
      },
      warn(this: unknown, fields: LogFields, message: string) {
        calls.push({ level: 'warn', fields, message, self: this });
      },
      error(this: unknown, fields: LogFields, message: string) {
        calls.push({ level: 'error', fields, message, self: this });
      },
    };
    return { pino, calls };
  }

  it('calls pino with (fields, message) as a method', () => {
    const { pino, calls } = fakePino();
    const logger = fromPino(pino);
    logger.info('hello', { user: 'ada' });
    logger.error('no fields');
    expect(calls).toEqual([
      { level: 'info', fields: { user: 'ada' }, message: 'hello', self: pino },
      { level: 'error', fields: {}, message: 'no fields', self: pino },
    ]);
  });

  it('redacts by default and with a given redactor', () => {
    const { pino, calls } = fakePino();
    const redactor = createRedactor({ secrets: [CANARY] });
    const logger = fromPino(pino, { redactor });
    logger.warn(`saw ${CANARY}`, { password: 'hunter2', note: CANARY });
    expect(inspect(calls, { depth: null })).not.toContain(CANARY);
    expect(calls[0]?.fields).toEqual({ password: REDACTED, note: REDACTED });
    fromPino(pino).info('x', { secret: 's' });
    expect(calls[1]?.fields).toEqual({ secret: REDACTED });
  });

  it('rejects something that is not pino-like', () => {
    expect(() => fromPino({ info() {} } as never)).toThrow(/pino/);
  });
});

describe('withRedaction', () => {
  it('masks registered secret values in message and fields, and secret keys', () => {
    const { logger, calls } = recordingLogger();
    const redactor = createRedactor();
    const safe = withRedaction(logger, redactor);
    redactor.addSecret(CANARY);
    safe.info(`calling with ${CANARY}`, { apiKey: 'k', list: [CANARY], ok: 1 });
    safe.debug('no fields');
    expect(calls).toEqual([
      { level: 'info', message: `calling with ${REDACTED}`, fields: { apiKey: REDACTED, list: [REDACTED], ok: 1 } },
      { level: 'debug', message: 'no fields', fields: undefined },
    ]);
  });

  it('masks fields bound by withFields on top of it', () => {
    const { logger, calls } = recordingLogger();
    const redactor = createRedactor({ secrets: [CANARY] });
    const log = withFields(withRedaction(logger, redactor), { sessionId: 'abc', tenant: CANARY });
    log.info('x', { more: CANARY });
    expect(inspect(calls)).not.toContain(CANARY);
    expect(calls[0]?.fields).toEqual({ sessionId: REDACTED, tenant: REDACTED, more: REDACTED });
  });

  it('validates its arguments', () => {
    expect(() => withRedaction(recordingLogger().logger, {} as never)).toThrow(/redactor/);
    expect(() => withRedaction({} as never, createRedactor())).toThrow(/logger/);
  });
});

describe('withFields', () => {
  it('adds bound fields to every line; call fields win', () => {
    const { logger, calls } = recordingLogger();
    const child = withFields(withFields(logger, { provider: 's3', op: 'list' }), { op: 'get' });
    child.info('one');
    child.error('two', { op: 'put', extra: true });
    expect(calls).toEqual([
      { level: 'info', message: 'one', fields: { provider: 's3', op: 'get' } },
      { level: 'error', message: 'two', fields: { provider: 's3', op: 'put', extra: true } },
    ]);
  });

  it('copies the bound fields so later mutation does not leak in', () => {
    const { logger, calls } = recordingLogger();
    const fields: LogFields = { a: 1 };
    const child = withFields(logger, fields);
    fields['a'] = 2;
    child.info('x');
    expect(calls[0]?.fields).toEqual({ a: 1 });
  });

  it('rejects fields that are not an object', () => {
    expect(() => withFields(recordingLogger().logger, 'x' as never)).toThrow(/fields/);
  });
});
