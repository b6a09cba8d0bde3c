// followRedirects on its own, with a recording `send`: each rule of a hop (which statuses
// redirect, method and body rewriting, header stripping across origins, refused targets and the
// hop budget) checked one at a time, where the server-based tests in http-hardening.test.ts
// check the common paths end to end.
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../src/errors';
import type { ClientConfig } from '../src/http/client-options';
import type { PreparedRequest } from '../src/http/prepare-request';
import { followRedirects, REDIRECT_STATUSES } from '../src/http/redirect';

const config = (overrides: Partial<{ redirect: 'follow' | 'error' | 'manual'; maxRedirects: number }> = {}) =>
  ({ provider: 'acme', redirect: 'follow', maxRedirects: 5, ...overrides }) as unknown as ClientConfig;
const prepared = (method: string, url = 'https://api.acme.test/v1/things') => ({ method, url, operation: `${method} /v1/things` }) as unknown as PreparedRequest;
const redirect = (status: number, location?: string) => new Response(null, { status, headers: location === undefined ? {} : { location } });

const SECRET_HEADERS = { authorization: 'Bearer t', 'x-api-key': 'k', cookie: 'c=1', traceparent: '00-1-2-01', 'idempotency-key': 'idem-1' };
const SAFE_HEADERS = { accept: 'application/json', 'accept-language': 'en', 'content-language': 'en', 'user-agent': 'almanac' };

/** A `send` answering from a list, recording each hop's URL and init. */
function hops(...answers: Response[]) {
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const send = async (url: string, init: RequestInit) => {
    sent.push({ url, init });
    return answers.shift() ?? new Response('end', { status: 200 });
  };
  return { sent, send };
}

async function refusal(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.catch((e: unknown) => e);
  expect(ProviderError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ provider: 'acme', retryable: false });
  return error as ProviderError;
}

describe('followRedirects rules', () => {
  it('treats exactly 301, 302, 303, 307 and 308 as redirects', () => {
    expect([...REDIRECT_STATUSES].sort()).toEqual([301, 302, 303, 307, 308]);
  });

  it('returns a non-redirect or a 3xx without Location as is, sending nothing', async () => {
    for (const response of [new Response('ok', { status: 200 }), redirect(304, '/elsewhere'), redirect(302), redirect(300, '/x')]) {
      const { sent, send } = hops();
      expect(await followRedirects(config(), prepared('GET'), response, {}, send)).toBe(response);
      expect(sent).toEqual([]);
    }
  });

  it('resolves a relative Location against the current URL and follows hop by hop', async () => {
    const { sent, send } = hops(redirect(302, '../v3/final'));
    const final = await followRedirects(config(), prepared('GET'), redirect(301, '/v2/things?page=2'), { method: 'GET' }, send);
    expect(await final.text()).toBe('end');
    expect(sent.map((hop) => hop.url)).toEqual(['https://api.acme.test/v2/things?page=2', 'https://api.acme.test/v3/final']);
  });

  it('keeps method, body and every header on a same-origin 307/308', async () => {
    for (const status of [307, 308]) {
      const { sent, send } = hops();
      const init = { method: 'PUT', body: '{"a":1}', headers: { ...SECRET_HEADERS, 'content-type': 'application/json' } };
      await followRedirects(config(), prepared('PUT'), redirect(status, '/v1/moved'), init, send);
      expect(sent[0]?.init).toMatchObject({ method: 'PUT', body: '{"a":1}', headers: init.headers });
    }
  });

  it('turns a 303 into a bodiless GET without body headers (HEAD stays HEAD), and 301/302 only after POST', async () => {
    const body = { body: 'x=1', headers: { 'content-type': 'text/plain', 'content-length': '3', 'content-encoding': 'identity', 'idempotency-key': 'i', authorization: 'Bearer t' } };
    const cases: Array<[number, string, string, boolean]> = [
      [303, 'POST', 'GET', false],
      [303, 'PUT', 'GET', false],
      [303, 'HEAD', 'HEAD', true],
      [301, 'POST', 'GET', false],
      [302, 'POST', 'GET', false],
      [301, 'PUT', 'PUT', true],
      [302, 'DELETE', 'DELETE', true],
    ];
    for (const [status, from, to, keepsBody] of cases) {
      const { sent, send } = hops();
      await followRedirects(config(), prepared(from), redirect(status, '/v1/next'), { method: from, ...body }, send);
      const init: RequestInit = sent[0]?.init ?? { method: 'no hop was sent' };
      expect(init.method, `${status} after ${from}`).toBe(to);
      if (keepsBody) {
        expect(init.body, `${status} after ${from}`).toBe('x=1');
        expect(init.headers).toEqual(body.headers);
      } else {
        expect(Object.keys(init), `${status} after ${from}`).not.toContain('body');
        expect(init.headers).toEqual({ authorization: 'Bearer t' });
      }
    }
  });

  it('to another origin keeps only the credential-free headers, and never restores the others', async () => {
    const { sent, send } = hops(redirect(302, 'https://api.acme.test/v1/back'));
    await followRedirects(config(), prepared('GET'), redirect(302, 'https://cdn.other.test/file'), { method: 'GET', headers: { ...SECRET_HEADERS, ...SAFE_HEADERS } }, send);
    expect(sent.map((hop) => hop.url)).toEqual(['https://cdn.other.test/file', 'https://api.acme.test/v1/back']);
    expect(sent[0]?.init.headers).toEqual(SAFE_HEADERS);
    expect(sent[1]?.init.headers).toEqual(SAFE_HEADERS);
  });

  it('another port or scheme is another origin', async () => {
    for (const location of ['https://api.acme.test:8443/x', 'http://localhost/x']) {
      const { sent, send } = hops();
      await followRedirects(config(), prepared('GET', 'http://api.acme.test/v1'), redirect(302, location), { headers: { authorization: 'Bearer t' } }, send);
      expect(sent[0]?.init.headers, location).toEqual({});
    }
  });

  it('without headers, sends a hop without a headers field', async () => {
    const { sent, send } = hops();
    await followRedirects(config(), prepared('GET'), redirect(302, '/v1/x'), { method: 'GET' }, send);
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0]?.init ?? { headers: 'missing hop' })).not.toContain('headers');
  });

  it('refuses to resend a body to another origin, and a streamed body anywhere', async () => {
    const cross = await refusal(followRedirects(config(), prepared('POST'), redirect(307, 'https://evil.test/steal'), { method: 'POST', body: 'secret' }, hops().send));
    expect(cross.message).toBe('acme: POST /v1/things was redirected (HTTP 307) but resending the POST body to https://evil.test is refused');
    expect(cross.status).toBe(307);
    const stream = new ReadableStream<Uint8Array>();
    const streamed = await refusal(followRedirects(config(), prepared('PUT'), redirect(308, '/v1/same'), { method: 'PUT', body: stream }, hops().send));
    expect(streamed.message).toContain('a streamed body cannot be sent again');
  });

  it('refuses https → http, non-http schemes and an unparsable Location', async () => {
    const downgrade = await refusal(followRedirects(config(), prepared('GET'), redirect(301, 'http://api.acme.test/v1'), {}, hops().send));
    expect(downgrade.message).toContain('a redirect from https to http is refused');
    for (const location of ['ftp://files.acme.test/x', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x']) {
      const error = await refusal(followRedirects(config(), prepared('GET'), redirect(302, location), {}, hops().send));
      expect(error.message, location).toContain(`a redirect to a ${new URL(location).protocol} URL is refused`);
    }
    const bad = await refusal(followRedirects(config(), prepared('GET'), redirect(302, 'http://[::1'), {}, hops().send));
    expect(bad.message).toContain('its Location is not a valid URL');
    // http → https is an upgrade, and allowed.
    const { sent, send } = hops();
    await followRedirects(config(), prepared('GET', 'http://api.acme.test/v1'), redirect(301, 'https://api.acme.test/v1'), {}, send);
    expect(sent).toHaveLength(1);
  });

  it('follows exactly maxRedirects hops and refuses the next; redirect: "error" refuses the first', async () => {
    const { sent, send } = hops(redirect(302, '/2'), redirect(302, '/3'));
    const last = await followRedirects(config({ maxRedirects: 3 }), prepared('GET'), redirect(302, '/1'), {}, send);
    expect(last.status).toBe(200);
    expect(sent).toHaveLength(3);
    const over = hops(redirect(302, '/2'), redirect(302, '/3'), redirect(302, '/4'));
    const error = await refusal(followRedirects(config({ maxRedirects: 3 }), prepared('GET'), redirect(302, '/1'), {}, over.send));
    expect(error.message).toBe('acme: GET /v1/things was redirected (HTTP 302) but it took more than 3 redirects');
    expect(over.sent).toHaveLength(3);
    const none = hops();
    const disabled = await refusal(followRedirects(config({ redirect: 'error' }), prepared('GET'), redirect(301, '/x'), {}, none.send));
    expect(disabled.message).toContain('redirects are disabled (redirect: "error")');
    expect(none.sent).toEqual([]);
    const zero = await refusal(followRedirects(config({ maxRedirects: 0 }), prepared('GET'), redirect(301, '/x'), {}, hops().send));
    expect(zero.message).toContain('more than 0 redirects');
  });
});

describe('followRedirects: an explicit null body', () => {
  it('is no body: a cross-origin 307 with body null is followed, not refused', async () => {
    const { sent, send } = hops();
    await followRedirects(config(), prepared('POST'), redirect(307, 'https://cdn.other.test/x'), { method: 'POST', body: null }, send);
    expect(sent.map((hop) => [hop.url, hop.init.method])).toEqual([['https://cdn.other.test/x', 'POST']]);
  });
});
