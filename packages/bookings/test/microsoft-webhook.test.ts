import { createManualClock } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createGraphNotificationHandler, handleGraphNotification } from '../src/adapters/microsoft';
import type { GraphChangeNotification } from '../src/adapters/microsoft';

const SUBSCRIPTION = '7f105c7d-2dc5-4530-97cd-4e7ae6534c07';

function notification(overrides: Partial<GraphChangeNotification> = {}): GraphChangeNotification {
  return {
    subscriptionId: SUBSCRIPTION,
    subscriptionExpirationDateTime: '2026-03-03T22:30:00+00:00',
    changeType: 'updated',
    resource: 'Users/87d349ed-44d7-43e1-9a83-5f2406dee5bd/Events/AAMkAGI2TG93AAA=',
    resourceData: {
      '@odata.type': '#Microsoft.Graph.Event',
      '@odata.etag': 'W/"DwAAABYAAAAQ5ZZ0S+4M9kvUmuGNn4JPAAAnLd6B"',
      id: 'AAMkAGI2TG93AAA=',
    },
    clientState: 'secret-client-state',
    tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
    ...overrides,
  };
}

function setup() {
  const synced: Array<[string, number]> = [];
  const handler = createGraphNotificationHandler({
    expectedClientState: 'secret-client-state',
    calendarFor: (id) => (id === SUBSCRIPTION ? 'primary' : undefined),
    onSync: (calendarId, list) => {
      synced.push([calendarId, list.length]);
    },
    clock: createManualClock(Date.parse('2026-03-01T00:00:00Z')),
  });
  return { handler, synced };
}

describe('microsoft webhook receiver', () => {
  it('echoes the validation token as text/plain with 200, and nosniff (issue 13: the echo is caller-chosen text)', async () => {
    const { handler, synced } = setup();
    const response = await handler({ query: new URLSearchParams('validationToken=Validation%3A+Testing+client+application+reachability+for+subscription+Request-Id%3A+b1c0') });
    expect(response).toMatchObject({
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
      body: 'Validation: Testing client application reachability for subscription Request-Id: b1c0',
    });
    expect(synced).toEqual([]);
  });

  it('accepts valid notifications with 202 and syncs each calendar once', async () => {
    const { handler, synced } = setup();
    const body = JSON.stringify({ value: [notification(), notification({ changeType: 'created', resourceData: { id: 'B', '@odata.etag': 'W/"2"' } })] });
    const response = await handler({ body });
    expect(response).toMatchObject({ status: 202, accepted: 2, rejected: 0, ignored: 0 });
    expect(synced).toEqual([['primary', 2]]);
  });

  it('rejects a wrong clientState with 403 and does not sync', async () => {
    const { handler, synced } = setup();
    const response = await handler({ body: { value: [notification({ clientState: 'guess' })] } });
    expect(response).toMatchObject({ status: 403, rejected: 1 });
    const missing = await handler({ body: { value: [notification({ clientState: undefined as never })] } });
    expect(missing.status).toBe(403);
    expect(synced).toEqual([]);
  });

  it('ignores unknown subscriptions and redeliveries', async () => {
    const { handler, synced } = setup();
    const unknown = await handler({ body: { value: [notification({ subscriptionId: 'someone-else' })] } });
    expect(unknown).toMatchObject({ status: 202, ignored: 1, accepted: 0 });
    expect((await handler({ body: { value: [notification()] } })).accepted).toBe(1);
    const replay = await handler({ body: { value: [notification()] } });
    expect(replay).toMatchObject({ status: 202, accepted: 0, ignored: 1 });
    expect(synced).toEqual([['primary', 1]]);
  });

  it('passes lifecycle notifications on and resyncs after missed ones', async () => {
    const lifecycle: string[] = [];
    const synced: string[] = [];
    const response = await handleGraphNotification({
      body: {
        value: [
          { subscriptionId: SUBSCRIPTION, lifecycleEvent: 'reauthorizationRequired', clientState: 'secret-client-state', subscriptionExpirationDateTime: '2026-03-03T22:30:00Z' },
          { subscriptionId: SUBSCRIPTION, lifecycleEvent: 'missed', clientState: 'secret-client-state', subscriptionExpirationDateTime: '2026-03-03T22:30:00Z' },
        ],
      },
      expectedClientState: () => 'secret-client-state',
      calendarFor: async () => 'primary',
      onSync: (calendarId) => {
        synced.push(calendarId);
      },
      onLifecycle: (_calendarId, n) => {
        lifecycle.push(n.lifecycleEvent ?? '');
      },
    });
    expect(response.status).toBe(202);
    expect(lifecycle).toEqual(['reauthorizationRequired', 'missed']);
    expect(synced).toEqual(['primary']);
  });

  it('answers 400 to a malformed body', async () => {
    const { handler } = setup();
    expect((await handler({ body: '{not json' })).status).toBe(400);
    expect((await handler({ body: { nope: true } })).status).toBe(400);
  });
});
