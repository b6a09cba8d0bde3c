// Graph lifecycle notifications, with payloads shaped like the documented ones:
// https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events
// ("To receive lifecycle notifications, you must provide a valid lifecycleNotificationUrl
// endpoint when creating the subscription"; it cannot be added by updating a subscription;
// reauthorizationRequired → reauthorize or renew, subscriptionRemoved → create a new
// subscription, missed → resynchronise, e.g. with delta).
import { createManualClock } from '@almanac/core';
import { useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { MAX_SUBSCRIPTION_MINUTES, createMicrosoftCalendar, handleGraphLifecycleEvent, handleGraphNotification } from '../src/adapters/microsoft';
import type { GraphLifecycleOutcome } from '../src/adapters/microsoft';
import { GRAPH, USER_ID, subscription } from './fixtures/microsoft/responses';

useStrictNock();

const START = Date.parse('2026-03-01T00:00:00Z');
const SUBSCRIPTION_ID = '7f105c7d-2dc5-4530-97cd-4e7ae6534c07';
const TENANT = '84bd8158-6d4d-4958-8b9f-9d6445542f95';

function make() {
  const clock = createManualClock(START);
  return { clock, calendar: createMicrosoftCalendar({ getAccessToken: async () => 'test-access-token', userId: USER_ID, clock, retry: { maxAttempts: 1 } }) };
}

const lifecycleBody = (lifecycleEvent: string) => ({
  value: [
    {
      subscriptionId: SUBSCRIPTION_ID,
      subscriptionExpirationDateTime: '2026-03-03T22:30:00.0000000+00:00',
      tenantId: TENANT,
      clientState: 'secret-client-state',
      lifecycleEvent,
    },
  ],
});

async function subscribe(calendar: ReturnType<typeof make>['calendar'], lifecycleAddress?: string) {
  let body: Record<string, unknown> | undefined;
  nock(GRAPH)
    .post('/v1.0/subscriptions', (b) => {
      body = b;
      return true;
    })
    .reply(201, (_uri, b) => subscription({ lifecycleNotificationUrl: (b as { lifecycleNotificationUrl: string }).lifecycleNotificationUrl }));
  const channel = await calendar.watch({
    calendarId: 'primary',
    address: 'https://hooks.example.com/graph',
    token: 'secret-client-state',
    ...(lifecycleAddress ? { lifecycleAddress } : {}),
  });
  return { channel, body };
}

describe('microsoft subscriptions: lifecycle notifications', () => {
  it('creates every subscription with a lifecycleNotificationUrl, defaulting to the notification URL', async () => {
    const { calendar } = make();
    const plain = await subscribe(calendar);
    expect(plain.body?.['lifecycleNotificationUrl']).toBe('https://hooks.example.com/graph');
    const separate = await subscribe(calendar, 'https://hooks.example.com/graph-lifecycle');
    expect(separate.body?.['lifecycleNotificationUrl']).toBe('https://hooks.example.com/graph-lifecycle');
    await expect(
      calendar.watch({ calendarId: 'primary', address: 'https://hooks.example.com/graph', lifecycleAddress: 'http://insecure.example.com', token: 't' }),
    ).rejects.toThrow(/lifecycleAddress/);
  });

  async function deliver(lifecycleEvent: string, arrange?: () => void) {
    const { calendar, clock } = make();
    const { channel } = await subscribe(calendar);
    arrange?.();
    const outcomes: GraphLifecycleOutcome[] = [];
    const synced: string[] = [];
    const response = await handleGraphNotification({
      body: lifecycleBody(lifecycleEvent),
      expectedClientState: 'secret-client-state',
      calendarFor: (id) => (id === SUBSCRIPTION_ID ? 'primary' : undefined),
      onSync: (calendarId) => {
        synced.push(calendarId);
      },
      onLifecycle: async (_calendarId, notification) => {
        outcomes.push(await handleGraphLifecycleEvent(calendar, channel, notification, { token: 'secret-client-state' }));
      },
    });
    return { response, outcomes, synced, channel, clock };
  }

  it('renews the subscription on reauthorizationRequired', async () => {
    nock(GRAPH)
      .patch(`/v1.0/subscriptions/${SUBSCRIPTION_ID}`, { expirationDateTime: new Date(START + MAX_SUBSCRIPTION_MINUTES * 60_000).toISOString() })
      .reply(200, subscription({ expirationDateTime: new Date(START + MAX_SUBSCRIPTION_MINUTES * 60_000).toISOString() }));
    const { response, outcomes, synced } = await deliver('reauthorizationRequired');
    expect(response.status).toBe(202);
    expect(outcomes.map((outcome) => [outcome.action, outcome.resync])).toEqual([['renewed', false]]);
    expect(synced).toEqual([]);
  });

  it('re-creates a removed subscription (with its lifecycle URL) and asks for a resync', async () => {
    let recreated: Record<string, unknown> | undefined;
    const { outcomes } = await deliver('subscriptionRemoved', () =>
      nock(GRAPH)
        .post('/v1.0/subscriptions', (b) => {
          recreated = b;
          return true;
        })
        .reply(201, subscription({ id: 'b2c8e9a1-0000-4000-8000-000000000001' })),
    );
    expect(recreated).toMatchObject({ notificationUrl: 'https://hooks.example.com/graph', lifecycleNotificationUrl: 'https://hooks.example.com/graph', clientState: 'secret-client-state' });
    expect(outcomes.map((outcome) => [outcome.action, outcome.channel.id, outcome.resync])).toEqual([['recreated', 'b2c8e9a1-0000-4000-8000-000000000001', true]]);
  });

  it('resyncs on missed: onSync runs and the outcome says so', async () => {
    const { outcomes, synced } = await deliver('missed');
    expect(synced).toEqual(['primary']);
    expect(outcomes.map((outcome) => [outcome.action, outcome.resync])).toEqual([['resync', true]]);
  });
});
