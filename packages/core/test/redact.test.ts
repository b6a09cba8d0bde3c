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
      // Explicit lengths: with none, fast-check's default size stops strings at about 10 characters.
      fc.property(fc.string({ minLength: 4, maxLength: 64 }), fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (secret, before, after) => {
        const redactor = createRedactor({ secrets: [secret] });
        const out = redactor.redact({ deep: [{ text: before + secret + after }] });
        expect(JSON.stringify(out).includes(JSON.stringify(secret).slice(1, -1))).toBe(false);
      }),
    );
  });
});

// Issue #13 items 4, 12 and 18: the shapes the old redactor missed, its hostile inputs
// and its unbounded secret set. (Time bounds on 1 MB inputs live in tests/adversarial.)
describe('createRedactor hardening', () => {
  const redactString = (text: string) => createRedactor().redactString(text);

  it.each([
    ['Authorization: Bearer tok-123', 'Authorization: [REDACTED]'],
    ['Authorization: Token tok-123', 'Authorization: [REDACTED]'],
    ['Authorization: SharedKey acct:c2lnbmF0dXJl\nnext line', 'Authorization: [REDACTED]\nnext line'],
    ['proxy-authorization=Basic dXNlcjpwdw==', 'proxy-authorization=[REDACTED]'],
    ['Cookie: a=1; sessionid=tok-123', 'Cookie: [REDACTED]'],
    ['sent Bearer tok-123, then', `sent Bearer ${REDACTED}, then`],
  ])('masks the credentials after an auth scheme: %s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it.each([
    ['https://api.example.com/x?access_token=tok-123&page=2', `https://api.example.com/x?access_token=${REDACTED}&page=2`],
    ['https://acct.blob.core.windows.net/c/b?sv=2024&sig=tok-123', `https://acct.blob.core.windows.net/c/b?sv=2024&sig=${REDACTED}`],
    ['https://app.example.com/cb?code=tok-123&state=s', `https://app.example.com/cb?code=${REDACTED}&state=s`],
    ['https://api.twilio.com/x?sid=tok-123', `https://api.twilio.com/x?sid=${REDACTED}`],
    ['https://maps.googleapis.com/x?key=tok-123', `https://maps.googleapis.com/x?key=${REDACTED}`],
    ['https://app.example.com/cb#access_token=tok-123&x=1', `https://app.example.com/cb#access_token=${REDACTED}&x=1`],
    ['https://user:tok-123@db.example.com/x', `https://${REDACTED}@db.example.com/x`],
    ['git clone https://x-access-token:tok-123@github.com/o/r', `git clone https://${REDACTED}@github.com/o/r`],
    ['mongodb://admin:tok-123@h1,h2/db', `mongodb://${REDACTED}@h1,h2/db`],
  ])('masks secrets in URLs: %s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it('does not treat `code` outside a URL as a secret (an error code is not one)', () => {
    expect(redactString('failed: code=not_found')).toBe('failed: code=not_found');
    expect(createRedactor().redact({ code: 'not_found' })).toEqual({ code: 'not_found' });
  });

  it('masks AccountKey and SharedAccessKey in connection strings', () => {
    const text = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=tok/123+abc==;EndpointSuffix=core.windows.net';
    expect(redactString(text)).toBe(`DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${REDACTED};EndpointSuffix=core.windows.net`);
    expect(redactString('Endpoint=sb://ns/;SharedAccessKeyName=root;SharedAccessKey=tok-123')).toBe(
      `Endpoint=sb://ns/;SharedAccessKeyName=root;SharedAccessKey=${REDACTED}`,
    );
    expect(createRedactor().redact({ accountKey: 'tok-123' })).toEqual({ accountKey: REDACTED });
  });

  it('masks escaped JSON and single-quoted pairs', () => {
    expect(redactString('{\\"password\\":\\"tok-123\\",\\"u\\":1}')).toBe(`{\\"password\\":\\"${REDACTED}\\",\\"u\\":1}`);
    expect(redactString("{'password': 'tok 123', 'a': 1}")).toBe(`{'password': '${REDACTED}', 'a': 1}`);
  });

  it('masks everything after an unterminated secret string rather than guess its end', () => {
    expect(redactString('{"token":"tok-123 and the rest')).toBe(`{"token":"${REDACTED}`);
  });

  it('judges an over-long key by its last 128 characters, so a long prefix cannot hide a secret key', () => {
    expect(redactString(`${'x'.repeat(500)}_password=tok-123`)).toBe(`${'x'.repeat(500)}_password=${REDACTED}`);
  });

  it('keeps text without secrets unchanged, however long (the old regex was quadratic on it)', () => {
    const text = 'a'.repeat(100_000);
    expect(redactString(text)).toBe(text);
    expect(redactString(`${text}=x`)).toBe(`${text}=x`);
  });

  it('masks values after secret names in name/value arrays (raw headers, argv, header tuples)', () => {
    const out = createRedactor().redact({
      rawHeaders: ['Accept', 'application/json', 'Authorization', 'Bearer tok-123', 'X-Api-Key', 'tok-456'],
      argv: ['node', 'cli.js', '--password', 'tok-789', '--verbose'],
      tuples: [
        ['authorization', 'Bearer tok-123'],
        ['accept', 'text/plain'],
      ],
    });
    expect(out).toEqual({
      rawHeaders: ['Accept', 'application/json', 'Authorization', REDACTED, 'X-Api-Key', REDACTED],
      argv: ['node', 'cli.js', '--password', REDACTED, '--verbose'],
      tuples: [
        ['authorization', REDACTED],
        ['accept', 'text/plain'],
      ],
    });
  });

  it('masks Headers, Map, URLSearchParams and URL values instead of logging them as {} or in full', () => {
    const out = createRedactor().redact({
      headers: new Headers({ authorization: 'Bearer tok-123', accept: 'text/plain' }),
      map: new Map([['password', 'tok-123']]),
      params: new URLSearchParams({ sig: 'tok-123', page: '2' }),
      url: new URL('https://u:tok-123@example.com/x?code=tok-456'),
    });
    expect(out).toEqual({
      headers: { accept: 'text/plain', authorization: REDACTED },
      map: { password: REDACTED },
      params: { sig: REDACTED, page: '2' },
      url: `https://${REDACTED}@example.com/x?code=${REDACTED}`,
    });
  });

  it('cuts objects nested past 100 levels instead of overflowing the stack', () => {
    let deep: Record<string, unknown> = { token: 'tok-123' };
    for (let i = 0; i < 10_000; i++) deep = { next: deep };
    const out = JSON.stringify(createRedactor().redact(deep));
    expect(out).toContain('[MaxDepth]');
    expect(out).not.toContain('tok-123');
  });

  it('accepts key patterns with the g flag without becoming stateful', () => {
    const redactor = createRedactor({ keys: /secret/gi });
    expect(redactor.redact({ secret: 'a', mySecret: 'b', secretive: 'c' })).toEqual({ secret: REDACTED, mySecret: REDACTED, secretive: REDACTED });
  });

  it('rejects a non-RegExp keys option and a bad maxSecrets with a ValidationError', () => {
    expect(() => createRedactor({ keys: 'token' as unknown as RegExp })).toThrow(expect.objectContaining({ code: 'validation' }));
    expect(() => createRedactor({ maxSecrets: 0 })).toThrow(expect.objectContaining({ code: 'validation' }));
    // Found by the adversarial suite: null options threw a raw TypeError.
    expect(() => createRedactor(null as never)).toThrow(expect.objectContaining({ code: 'validation' }));
  });

  it('keeps at most maxSecrets registered values, forgetting the least recently registered', () => {
    const redactor = createRedactor({ maxSecrets: 2 });
    redactor.addSecret('first-secret');
    redactor.addSecret('second-secret');
    redactor.addSecret('first-secret'); // refreshed: second is now the oldest
    redactor.addSecret('third-secret');
    expect(redactor.redactString('first-secret second-secret third-secret')).toBe(`${REDACTED} second-secret ${REDACTED}`);
  });

  it('bounds the default secret set, so registering 100k tokens keeps only the newest 1000', () => {
    const redactor = createRedactor();
    for (let i = 0; i < 100_000; i++) redactor.addSecret(`token-${i}-value`);
    expect(redactor.redactString('token-98999-value token-99000-value token-99999-value')).toBe(
      `token-98999-value ${REDACTED} ${REDACTED}`,
    );
  });
});
