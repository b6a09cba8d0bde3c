// The Graph change-notification receiver's trust checks, one mutation at a time: `clientState`
// compared in full (same length, last character different), the handshake bounds, what counts as
// a redelivery, and the status codes Graph acts on.
// https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks
import { createManualClock, createReplayGuard } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createGraphNotificationHandler, handleGraphNotification } from '../src/adapters/microsoft';
import type { GraphChangeNotification } from '../src/adapters/microsoft';

const SUB_A = 'sub-a';
const SUB_B = 'sub-b';
const STATE = 'client-state-0123456789abcdef';

const note = (overrides: Partial<GraphChangeNotification> = {}): GraphChangeNotification => ({
  subscriptionId: SUB_A,
  changeType: 'updated',
  resource: 'Users/u/Events/E1',
  resourceData: { id: 'E1', '@odata.etag': 'W/"1"' },
  clientState: STATE,
  ...overrides,
});

function receiver(options: { expected?: string | ((id: string) => string | undefined); guard?: boolean } = {}) {
  const synced: Array<[string, string[]]> = [];
  const lifecycle: string[] = [];
  const clock = createManualClock(Date.parse('2026-03-01T00:00:00Z'));
  const settings = {
    expectedClientState: options.expected ?? STATE,
    calendarFor: (id: string) => (id === SUB_A ? 'cal-a' : id === SUB_B ? 'cal-b' : undefined),
    onSync: (calendarId: string, list: readonly GraphChangeNotification[]) => {
      synced.push([calendarId, list.map((n) => n.resourceData?.id ?? n.lifecycleEvent ?? '?')]);
    },
    onLifecycle: (calendarId: string, n: GraphChangeNotification) => {
      lifecycle.push(`${calendarId}:${n.lifecycleEvent}`);
    },
    clock,
  };
  const handle =
    options.guard === false
      ? (request: { body?: unknown; query?: never }) => handleGraphNotification({ ...settings, ...request })
      : createGraphNotificationHandler(settings);
  return { handle, synced, lifecycle, clock };
}

describe('Graph clientState is compared in full', () => {
  const lastChar = `${STATE.slice(0, -1)}${STATE.endsWith('f') ? 'e' : 'f'}`;
  const firstChar = `X${STATE.slice(1)}`;
  const cases: Array<[string, unknown]> = [
    ['same length, last character different', lastChar],
    ['same length, first character different', firstChar],
    ['same first four characters, otherwise different', `${STATE.slice(0, 4)}${'z'.repeat(STATE.length - 4)}`],
    ['the expected value plus one character', `${STATE}0`],
    ['the expected value minus its last character', STATE.slice(0, -1)],
    ['a different case', STATE.toUpperCase()],
    ['empty', ''],
    ['missing', undefined],
    ['not a string', 42],
  ];

  it.each(cases)('rejects a clientState that is %s, with 403 and no sync', async (_name, clientState) => {
    expect(clientState).not.toBe(STATE);
    const { handle, synced } = receiver();
    const response = await handle({ body: { value: [note({ clientState: clientState as string })] } });
    expect(response).toMatchObject({ status: 403, accepted: 0, rejected: 1, ignored: 0, body: '' });
    expect(synced).toEqual([]);
  });

  it('accepts the exact value, and a per-subscription lookup picks the right one', async () => {
    const { handle, synced } = receiver({ expected: (id) => (id === SUB_A ? STATE : id === SUB_B ? 'state-b' : undefined) });
    const response = await handle({
      body: { value: [note(), note({ subscriptionId: SUB_B, clientState: 'state-b', resourceData: { id: 'E2', '@odata.etag': 'W/"1"' } }), note({ subscriptionId: SUB_B, clientState: STATE, resourceData: { id: 'E3' } })] },
    });
    expect(response).toMatchObject({ status: 202, accepted: 2, rejected: 1, ignored: 0 });
    expect(synced).toEqual([
      ['cal-a', ['E1']],
      ['cal-b', ['E2']],
    ]);
  });

  it('refuses everything when the expected value is empty or unknown, even an empty clientState', async () => {
    for (const expected of ['', () => undefined, () => '']) {
      const { handle, synced } = receiver({ expected });
      const response = await handle({ body: { value: [note({ clientState: '' }), note({ resourceData: { id: 'E9' } })] } });
      expect(response).toMatchObject({ status: 403, accepted: 0, rejected: 2 });
      expect(synced).toEqual([]);
    }
  });
});

describe('Graph notification requests', () => {
  it('echoes a handshake token of up to 4,096 characters, refuses empty and longer ones', async () => {
    const { handle, synced } = receiver();
    const longest = 'v'.repeat(4_096);
    expect(await handle({ query: { validationToken: longest } as never })).toMatchObject({ status: 200, body: longest, accepted: 0, rejected: 0, ignored: 0 });
    expect(await handle({ query: { validationToken: `${longest}v` } as never })).toMatchObject({ status: 400, body: '' });
    expect(await handle({ query: new URLSearchParams('validationToken=') as never })).toMatchObject({ status: 400, body: '' });
    // A repeated parameter: the first value is the token.
    expect(await handle({ query: { validationToken: ['first', 'second'] } as never })).toMatchObject({ status: 200, body: 'first' });
    // Other parameters do not start a handshake.
    expect((await handle({ query: { other: 'x' } as never, body: { value: [note()] } })).status).toBe(202);
    expect(synced).toEqual([['cal-a', ['E1']]]);
  });

  it('answers with text/plain and nosniff whatever the status', async () => {
    const { handle } = receiver();
    for (const request of [{ body: { value: [note()] } }, { body: 'nope' }, { body: { value: [note({ clientState: 'x' })] } }]) {
      const response = await handle(request);
      expect(response.headers).toEqual({ 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
    }
  });

  it('reads the body as an object, JSON text or UTF-8 bytes, and answers 400 to anything else', async () => {
    const body = { value: [note()] };
    for (const form of [body, JSON.stringify(body), new TextEncoder().encode(JSON.stringify(body))]) {
      const { handle, synced } = receiver();
      expect((await handle({ body: form })).status).toBe(202);
      expect(synced).toEqual([['cal-a', ['E1']]]);
    }
    const { handle, synced } = receiver();
    for (const bad of [undefined, null, 'not json', new TextEncoder().encode('{'), { value: 'x' }, { value: { 0: note() } }, [note()]]) {
      expect(await handle({ body: bad }), JSON.stringify(bad)).toMatchObject({ status: 400, accepted: 0, rejected: 0, ignored: 0 });
    }
    expect(synced).toEqual([]);
  });

  it('rejects entries without a subscription id and ignores unknown subscriptions; 403 only when everything was rejected', async () => {
    const { handle, synced } = receiver();
    const malformed = await handle({ body: { value: [null, {}, note({ subscriptionId: '' }), note({ subscriptionId: 7 as never })] } });
    expect(malformed).toMatchObject({ status: 403, accepted: 0, rejected: 4, ignored: 0 });
    const mixed = await handle({ body: { value: [note({ clientState: 'wrong' }), note({ subscriptionId: 'stranger' })] } });
    expect(mixed).toMatchObject({ status: 202, accepted: 0, rejected: 1, ignored: 1 });
    const some = await handle({ body: { value: [note({ clientState: 'wrong' }), note()] } });
    expect(some).toMatchObject({ status: 202, accepted: 1, rejected: 1, ignored: 0 });
    const empty = await handle({ body: { value: [] } });
    expect(empty).toMatchObject({ status: 202, accepted: 0, rejected: 0, ignored: 0 });
    expect(synced).toEqual([['cal-a', ['E1']]]);
  });

  it('syncs each calendar once per request with its own notifications, after the lifecycle callbacks', async () => {
    const order: string[] = [];
    const response = await handleGraphNotification({
      body: {
        value: [
          note({ resourceData: { id: 'E1' } }),
          note({ subscriptionId: SUB_B, resourceData: { id: 'E2' } }),
          note({ resourceData: { id: 'E3' } }),
          { subscriptionId: SUB_B, clientState: STATE, lifecycleEvent: 'subscriptionRemoved' },
        ],
      },
      expectedClientState: STATE,
      calendarFor: async (id) => (id === SUB_A ? 'cal-a' : 'cal-b'),
      onSync: (calendarId, list) => {
        order.push(`sync ${calendarId} ${list.map((n) => n.resourceData?.id).join(',')}`);
      },
      onLifecycle: (calendarId, n) => {
        order.push(`lifecycle ${calendarId} ${n.lifecycleEvent}`);
      },
    });
    expect(response).toMatchObject({ status: 202, accepted: 4, rejected: 0, ignored: 0 });
    expect(order).toEqual(['lifecycle cal-b subscriptionRemoved', 'sync cal-a E1,E3', 'sync cal-b E2']);
  });
});

describe('Graph redeliveries', () => {
  it('counts the same change of the same event version as a redelivery, and any other change as new', async () => {
    const { handle, synced } = receiver();
    expect((await handle({ body: { value: [note()] } })).accepted).toBe(1);
    expect(await handle({ body: { value: [note()] } })).toMatchObject({ status: 202, accepted: 0, ignored: 1 });
    // A new version, another change type, another resource or subscription: all new deliveries.
    const fresh = [
      note({ resourceData: { id: 'E1', '@odata.etag': 'W/"2"' } }),
      note({ changeType: 'deleted' }),
      note({ resource: 'Users/u/Events/E2' }),
      note({ subscriptionId: SUB_B }),
    ];
    for (const n of fresh) expect((await handle({ body: { value: [n] } })).accepted, JSON.stringify(n)).toBe(1);
    expect(synced.length).toBe(5);
  });

  it('deduplicates lifecycle notifications by event and subscription expiry', async () => {
    const { handle, lifecycle } = receiver();
    const event = { subscriptionId: SUB_A, clientState: STATE, lifecycleEvent: 'reauthorizationRequired', subscriptionExpirationDateTime: '2026-03-03T00:00:00Z' };
    expect((await handle({ body: { value: [event] } })).accepted).toBe(1);
    expect((await handle({ body: { value: [event] } })).ignored).toBe(1);
    expect((await handle({ body: { value: [{ ...event, subscriptionExpirationDateTime: '2026-03-04T00:00:00Z' }] } })).accepted).toBe(1);
    expect((await handle({ body: { value: [{ ...event, lifecycleEvent: 'subscriptionRemoved' }] } })).accepted).toBe(1);
    expect(lifecycle).toEqual(['cal-a:reauthorizationRequired', 'cal-a:reauthorizationRequired', 'cal-a:subscriptionRemoved']);
  });

  it('a lifecycle notification is not a redelivery of a change notification of the same subscription', async () => {
    const { handle, synced } = receiver();
    expect((await handle({ body: { value: [note({ resource: undefined as never, changeType: undefined as never, resourceData: undefined as never })] } })).accepted).toBe(1);
    expect((await handle({ body: { value: [{ subscriptionId: SUB_A, clientState: STATE, lifecycleEvent: 'missed' }] } })).accepted).toBe(1);
    expect(synced.map(([calendar]) => calendar)).toEqual(['cal-a', 'cal-a']);
  });

  it('the one-shot handler has no memory unless given a guard, which it feeds the clock time', async () => {
    const { handle } = receiver({ guard: false });
    expect((await handle({ body: { value: [note()] } })).accepted).toBe(1);
    expect((await handle({ body: { value: [note()] } })).accepted).toBe(1);
    const clock = createManualClock(Date.parse('2026-03-01T00:00:00Z'));
    const replayGuard = createReplayGuard({ clock, timestampUnit: 'milliseconds' });
    const seen: number[] = [];
    const spy = {
      ...replayGuard,
      check: (input: Parameters<typeof replayGuard.check>[0]) => {
        seen.push(input.timestamp instanceof Date ? input.timestamp.getTime() : Number(input.timestamp));
        return replayGuard.check(input);
      },
    };
    const settings = { expectedClientState: STATE, calendarFor: () => 'cal-a', onSync: () => {}, replayGuard: spy, clock };
    expect((await handleGraphNotification({ ...settings, body: { value: [note()] } })).accepted).toBe(1);
    expect((await handleGraphNotification({ ...settings, body: { value: [note()] } })).ignored).toBe(1);
    expect(seen).toEqual([Date.parse('2026-03-01T00:00:00Z'), Date.parse('2026-03-01T00:00:00Z')]);
  });
});
