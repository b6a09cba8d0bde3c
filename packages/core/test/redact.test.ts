import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/errors';
import { createRedactor, DEFAULT_SECRET_KEYS, REDACTED } from '../src/logger/redact';

describe('createRedactor', () => {
  it.each(['token', 'accessToken', 'refresh_token', 'secret', 'clientSecret', 'password', 'passwd', 'Authorization', 'apiKey', 'api_key', 'x-api-key', 'cookie', 'Set-Cookie', 'credentials', 'privateKey', 'signature', 'sessionId'])(
    'treats the key %s as secret',
    (key) => {
      expect(DEFAULT_SECRET_KEYS.test(key)).toBe(true);
      expect(createRedactor().redact({ [key]: 'value' })).toEqual({ [key]: REDACTED });
    },
  );

  it.each(['user', 'id', 'bucket', 'region', 'email'])('leaves the ordinary key %s alone', (key) => {
    expect(createRedactor().redact({ [key]: 'value' })).toEqual({ [key]: 'value' });
  });

  it('masks nested objects and arrays without touching the input', () => {
    const input = { a: { b: [{ password: 'p', keep: 'k' }] }, date: new Date(0) };
    const out = createRedactor().redact(input);
    expect(out).toEqual({ a: { b: [{ password: REDACTED, keep: 'k' }] }, date: new Date(0) });
    expect(input.a.b[0]?.password).toBe('p');
  });

  it('masks registered secrets inside longer strings, longest first', () => {
    const redactor = createRedactor({ secrets: ['abcd'] });
    redactor.addSecret('abcdefgh');
    expect(redactor.redactString('x abcdefgh y abcd z')).toBe(`x ${REDACTED} y ${REDACTED} z`);
  });

  it('ignores secrets shorter than 4 characters so it does not shred text', () => {
    const redactor = createRedactor({ secrets: ['a'] });
    expect(redactor.redactString('banana')).toBe('banana');
  });

  it('masks bearer tokens and key=value pairs in text', () => {
    const redactor = createRedactor();
    expect(redactor.redactString('Authorization: Bearer abc.def-ghi')).not.toContain('abc.def-ghi');
    expect(redactor.redactString('GET /x?api_key=K123&page=2')).toBe(`GET /x?api_key=${REDACTED}&page=2`);
    expect(redactor.redactString('{"password":"p@ss","user":"ada"}')).toBe(`{"password":"${REDACTED}","user":"ada"}`);
  });

  it('turns errors into plain objects with stack and cause, masked', () => {
    const redactor = createRedactor({ secrets: ['s3cr3t-value'] });
    const error = new NotFoundError('missing s3cr3t-value', { provider: 's3', cause: new Error('inner s3cr3t-value') });
    const out = redactor.redact({ err: error }).err as unknown as Record<string, unknown>;
    expect(out['name']).toBe('NotFoundError');
    expect(out['message']).toBe(`missing ${REDACTED}`);
    expect(out['code']).toBe('not_found');
    expect(out['provider']).toBe('s3');
    expect(String(out['stack'])).toContain(`missing ${REDACTED}`);
    expect((out['cause'] as Record<string, unknown>)['message']).toBe(`inner ${REDACTED}`);
    expect(JSON.stringify(out)).not.toContain('s3cr3t-value');
  });

  it('keeps cycles as cycles instead of recursing forever', () => {
    const node: Record<string, unknown> = { token: 't' };
    node['self'] = node;
    const out = createRedactor().redact(node);
    expect(out['token']).toBe(REDACTED);
    expect(out['self']).toBe(out);
  });

  it('each redactor keeps its own secrets', () => {
    const one = createRedactor();
    const two = createRedactor();
    one.addSecret('only-for-one');
    expect(two.redactString('only-for-one')).toBe('only-for-one');
  });

  it('never leaks a registered secret embedded anywhere in a string (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4 }), fc.string(), fc.string(), (secret, before, after) => {
        const redactor = createRedactor({ secrets: [secret] });
        const out = redactor.redact({ deep: [{ text: before + secret + after }] });
        expect(JSON.stringify(out).includes(JSON.stringify(secret).slice(1, -1))).toBe(false);
      }),
    );
  });
});
