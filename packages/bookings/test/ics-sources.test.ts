import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createManualClock } from '@almanac/core';
import nock from 'nock';
import { useStrictNock } from '@almanac/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createIcsCalendar, createIcsCalendarProvider } from '../src/adapters/ics';

const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/ics/${name}`, import.meta.url));
const read = (name: string) => readFileSync(fixturePath(name), 'utf8');
const GOOGLE = read('google.ics');
const HOST = 'https://calendar.example.com';
const FEED_PATH = '/ical/team/basic.ics';
const WEEK = { start: '2026-03-02T00:00:00Z', end: '2026-03-09T00:00:00Z' };
const fastRetry = { baseDelayMs: 1, maxDelayMs: 1 };

const ONE_EVENT = (summary: string) =>
  [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'BEGIN:VEVENT',
    'UID:one@example.com',
    `SUMMARY:${summary}`,
    'DTSTART:20260302T100000Z',
    'DTEND:20260302T110000Z',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

useStrictNock();

describe('ics URL sources', () => {
  it('fetches a text/calendar feed, sends the query and headers, and reads busy time', async () => {
    nock(HOST, { reqheaders: { authorization: 'Basic dXNlcjpwdw==' } })
      .get(FEED_PATH)
      .query({ key: 'abc', v: ['1', '2'] })
      .reply(200, GOOGLE, { 'content-type': 'text/calendar; charset=utf-8' });
    const calendar = createIcsCalendar({
      source: `${HOST}${FEED_PATH}?key=abc&v=1&v=2`,
      headers: { authorization: 'Basic dXNlcjpwdw==' },
    });
    const [feed] = await calendar.freeBusy({ range: WEEK });
    expect(feed?.calendarId).toBe('feed');
    expect(feed?.busy[0]).toEqual({ start: new Date('2026-03-02T13:00:00Z'), end: new Date('2026-03-02T13:15:00Z'), source: 'ICS: Standup' });
  });

  it('fetches webcal:// over https', async () => {
    nock(HOST).get(FEED_PATH).reply(200, GOOGLE, { 'content-type': 'text/calendar' });
    const calendar = createIcsCalendar({ source: `webcal://calendar.example.com${FEED_PATH}` });
    const events = await calendar.listEvents({ calendarId: 'feed', range: WEEK }).toArray();
    expect(events.length).toBeGreaterThan(0);
  });

  it('maps 404 to NotFoundError without leaking a secret path segment', async () => {
    const secretPath = '/calendar/ical/ada%40example.com/private-0123456789abcdef0123456789abcdef/basic.ics';
    nock(HOST).get(secretPath).reply(404, 'Not Found');
    const calendar = createIcsCalendar({ source: { url: `${HOST}${secretPath}` } });
    const error = await calendar.freeBusy({ range: WEEK }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'not_found', provider: 'ics', status: 404 });
    expect(String((error as Error).message)).not.toContain('private-0123456789abcdef0123456789abcdef');
  });

  it('retries a 500 and succeeds', async () => {
    nock(HOST).get(FEED_PATH).reply(500, 'boom').get(FEED_PATH).reply(200, GOOGLE, { 'content-type': 'text/calendar' });
    const calendar = createIcsCalendar({ source: new URL(`${HOST}${FEED_PATH}`), retry: fastRetry });
    const [feed] = await calendar.freeBusy({ range: WEEK });
    expect(feed?.busy.length).toBeGreaterThan(0);
  });

  it('gives up after the retry budget with a ProviderError', async () => {
    nock(HOST).get(FEED_PATH).times(2).reply(503, 'down');
    const calendar = createIcsCalendar({ source: `${HOST}${FEED_PATH}`, retry: { ...fastRetry, maxAttempts: 2 } });
    await expect(calendar.freeBusy({ range: WEEK })).rejects.toMatchObject({ code: 'provider', status: 503 });
  });

  it('rejects an HTML page (e.g. a login redirect) with a clear ProviderError', async () => {
    nock(HOST).get(FEED_PATH).reply(200, '<!DOCTYPE html><html><body>Sign in</body></html>', { 'content-type': 'text/html' });
    const calendar = createIcsCalendar({ source: `${HOST}${FEED_PATH}` });
    const error = await calendar.freeBusy({ range: WEEK }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'provider', provider: 'ics' });
    expect((error as Error).message).toMatch(/not an iCalendar feed/);
    // Issue #13: the message used to quote the first 40 characters of whatever was fetched or read.
    expect(JSON.stringify(error)).not.toContain('DOCTYPE');
  });

  it('rejects a malformed feed with a ProviderError naming the parse problem', async () => {
    nock(HOST).get(FEED_PATH).reply(200, read('malformed.ics'), { 'content-type': 'text/calendar' });
    const calendar = createIcsCalendar({ source: `${HOST}${FEED_PATH}` });
    const error = await calendar.freeBusy({ range: WEEK }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'provider', message: expect.stringMatching(/not valid iCalendar/) });
    // ical.js quotes the offending line; it must not reach the error (message or cause).
    expect(JSON.stringify(error)).not.toMatch(/invalid line/);
    expect((error as Error).cause).toBeUndefined();
  });

  it('refuses feeds over maxFeedBytes', async () => {
    nock(HOST).get(FEED_PATH).reply(200, GOOGLE, { 'content-type': 'text/calendar' });
    const calendar = createIcsCalendar({ source: `${HOST}${FEED_PATH}`, maxFeedBytes: 1024 });
    await expect(calendar.freeBusy({ range: WEEK })).rejects.toMatchObject({
      code: 'provider',
      message: expect.stringContaining('maxFeedBytes'),
    });
  });

  it('caches the feed, then revalidates with If-None-Match after refreshIntervalMs', async () => {
    const clock = createManualClock(Date.parse('2026-03-01T00:00:00Z'));
    nock(HOST).get(FEED_PATH).reply(200, ONE_EVENT('First'), { 'content-type': 'text/calendar', etag: '"v1"' });
    const provider = createIcsCalendarProvider({ source: `${HOST}${FEED_PATH}`, refreshIntervalMs: 60_000, clock });
    const range = { start: new Date(WEEK.start), end: new Date(WEEK.end) };
    const titles = async () => (await provider.listEventsPage({ calendarId: 'feed', range })).items.map((event) => event.title);

    // Concurrent calls share one request; a call within the interval makes none.
    expect(await Promise.all([titles(), titles(), titles()])).toEqual([['First'], ['First'], ['First']]);
    await clock.advance(30_000);
    expect(await titles()).toEqual(['First']);

    await clock.advance(30_000);
    nock(HOST, { reqheaders: { 'if-none-match': '"v1"' } }).get(FEED_PATH).reply(304);
    expect(await titles()).toEqual(['First']);

    await clock.advance(60_000);
    nock(HOST).get(FEED_PATH).reply(200, ONE_EVENT('Second'), { 'content-type': 'text/calendar', etag: '"v2"' });
    expect(await titles()).toEqual(['Second']);
  });

  it('does not cache a failed load: the next call fetches again', async () => {
    nock(HOST).get(FEED_PATH).reply(404, 'gone').get(FEED_PATH).reply(200, ONE_EVENT('Back'), { 'content-type': 'text/calendar' });
    const calendar = createIcsCalendar({ source: `${HOST}${FEED_PATH}` });
    await expect(calendar.freeBusy({ range: WEEK })).rejects.toMatchObject({ code: 'not_found' });
    const [feed] = await calendar.freeBusy({ range: WEEK });
    expect(feed?.busy).toEqual([{ start: new Date('2026-03-02T10:00:00Z'), end: new Date('2026-03-02T11:00:00Z'), source: 'ICS: Back' }]);
  });

  it('shares one in-flight load between callers and aborts it only when every caller has aborted', async () => {
    const calls: Array<{ signal: AbortSignal | undefined; respond: () => void }> = [];
    const fetch = (_input: string | URL | Request, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        const signal = init?.signal ?? undefined;
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        calls.push({ signal, respond: () => resolve(new Response(ONE_EVENT('Shared'), { headers: { 'content-type': 'text/calendar' } })) });
      });
    const range = { start: new Date(WEEK.start), end: new Date(WEEK.end) };

    const provider = createIcsCalendarProvider({ source: `${HOST}${FEED_PATH}`, fetch });
    const first = new AbortController();
    const abandoned = provider.freeBusy({ range, signal: first.signal });
    const kept = provider.freeBusy({ range, signal: new AbortController().signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1);
    first.abort();
    await expect(abandoned).rejects.toMatchObject({ code: 'aborted' });
    expect(calls[0]?.signal?.aborted).toBe(false);
    calls[0]?.respond();
    expect((await kept)[0]?.busy.map((block) => block.source)).toEqual(['ICS: Shared']);

    const lonely = createIcsCalendarProvider({ source: `${HOST}${FEED_PATH}`, fetch });
    const a = new AbortController();
    const b = new AbortController();
    const both = [lonely.freeBusy({ range, signal: a.signal }), lonely.freeBusy({ range, signal: b.signal })];
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(2);
    a.abort();
    b.abort();
    await expect(Promise.all(both)).rejects.toMatchObject({ code: 'aborted' });
    expect(calls[1]?.signal?.aborted).toBe(true);
  });

  it('honours an aborted signal', async () => {
    const calendar = createIcsCalendar({ source: `${HOST}${FEED_PATH}` });
    const controller = new AbortController();
    controller.abort();
    await expect(calendar.freeBusy({ range: WEEK, signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('ics file and text sources', () => {
  const dir = mkdtempSync(join(tmpdir(), 'almanac-ics-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file given as { path }', async () => {
    const calendar = createIcsCalendar({ source: { path: fixturePath('google.ics') } });
    const [feed] = await calendar.freeBusy({ range: WEEK });
    expect(feed?.busy.length).toBeGreaterThan(0);
  });

  // Issue #13: a bare path, a file:// string or URL, or { url: 'file://…' } read local files
  // (a .env, /proc/self/environ) when the "feed URL" came from a user.
  it.each([
    ['a bare path string', () => fixturePath('google.ics')],
    ['a file:// string', () => pathToFileURL(fixturePath('google.ics')).href],
    ['a file: URL object', () => pathToFileURL(fixturePath('google.ics'))],
    ['{ url } with a file:// URL', () => ({ url: pathToFileURL(fixturePath('google.ics')).href })],
    ['{ url } with a file: URL object', () => ({ url: pathToFileURL(fixturePath('google.ics')) })],
    ['/proc/self/environ', () => '/proc/self/environ'],
  ])('refuses %s with a ValidationError on options.source, reading nothing', (_name, source) => {
    expect(() => createIcsCalendar({ source: source() as never })).toThrow(
      expect.objectContaining({ code: 'validation', issues: [expect.objectContaining({ path: 'options.source', message: expect.stringContaining('{ path }') })] }),
    );
  });

  it('never echoes the content of a non-iCalendar file in the error', async () => {
    const secretFile = join(dir, '.env');
    writeFileSync(secretFile, 'DATABASE_PASSWORD=hunter2-CANARY\n');
    const calendar = createIcsCalendar({ source: { path: secretFile } });
    const error = await calendar.freeBusy({ range: WEEK }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'provider', message: expect.stringContaining('not an iCalendar feed') });
    expect(JSON.stringify(error)).not.toContain('hunter2');
    expect(String((error as Error).stack)).not.toContain('hunter2');
  });

  it('maps a missing file to NotFoundError and a malformed one to ProviderError', async () => {
    const missing = createIcsCalendar({ source: { path: join(dir, 'missing.ics') } });
    await expect(missing.freeBusy({ range: WEEK })).rejects.toMatchObject({ code: 'not_found', provider: 'ics' });
    const malformed = createIcsCalendar({ source: { path: fixturePath('malformed.ics') } });
    await expect(malformed.freeBusy({ range: WEEK })).rejects.toMatchObject({ code: 'provider' });
  });

  it('re-reads a changed file after refreshIntervalMs', async () => {
    const clock = createManualClock(Date.parse('2026-03-01T00:00:00Z'));
    const file = join(dir, 'feed.ics');
    writeFileSync(file, ONE_EVENT('Before'));
    utimesSync(file, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const provider = createIcsCalendarProvider({ source: { path: file }, refreshIntervalMs: 1000, clock });
    const range = { start: new Date(WEEK.start), end: new Date(WEEK.end) };
    const titles = async () => (await provider.listEventsPage({ calendarId: 'feed', range })).items.map((event) => event.title);
    expect(await titles()).toEqual(['Before']);
    writeFileSync(file, ONE_EVENT('After!'));
    utimesSync(file, new Date('2026-01-02T00:00:00Z'), new Date('2026-01-02T00:00:00Z'));
    expect(await titles()).toEqual(['Before']);
    await clock.advance(1000);
    expect(await titles()).toEqual(['After!']);
  });

  it('reads a bare string starting with BEGIN:VCALENDAR as text', async () => {
    const calendar = createIcsCalendar({ source: ONE_EVENT('Inline') });
    const events = await calendar.listEvents({ calendarId: 'feed', range: WEEK }).toArray();
    expect(events.map((event) => event.title)).toEqual(['Inline']);
  });

  it('rejects malformed text at creation with a ValidationError on options.source', () => {
    expect(() => createIcsCalendar({ source: { text: read('malformed.ics') } })).toThrow(
      expect.objectContaining({ code: 'validation', issues: [expect.objectContaining({ path: 'options.source' })] }),
    );
    expect(() => createIcsCalendar({ source: { text: 'hello' } })).toThrow(expect.objectContaining({ code: 'validation' }));
  });

  it('validates options, naming every bad field', () => {
    let caught: unknown;
    try {
      createIcsCalendar({
        source: { url: 'ftp://example.com/feed.ics' },
        defaultTimeZone: 'Mars/Base',
        refreshIntervalMs: -1,
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'validation' });
    const paths = (caught as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['options.defaultTimeZone', 'options.refreshIntervalMs', 'options.source']);
  });
});
