// What the Discord interactions endpoint tells the operator: the exact reason and status given to
// onReject, the ConfigError naming the bad option, the 500 of a failing seen-id store (reported,
// never echoing the public key or signature), deferrals of components and modals, and a failed
// follow-up (the PATCH of the original response) reported to onError instead of swallowed. Per
// https://discord.com/developers/docs/interactions/receiving-and-responding (callback types 5
// and 6, editing `/webhooks/{application.id}/{interaction.token}/messages/@original`, tokens valid
// 15 minutes) and .../overview#setting-up-an-endpoint-validating-security-request-headers.
import { sign } from 'node:crypto';
import { ConfigError, createManualClock, createMemorySeenIdStore } from '@almanac/core';
import type { Clock, SeenIdStore } from '@almanac/core';
import { describe, expect, it } from 'vitest';
import { createInteractionsHandler } from '../src/adapters/discord';
import type { InteractionContext, InteractionReply, InteractionsHandlerOptions } from '../src/adapters/discord';
import type { WebhookRejection } from '../src/webhooks/types';
import { NOW, discordKeys, discordRequest, interactionBody } from './support/deliveries';
import type { DiscordKeys } from './support/deliveries';

const keys = discordKeys();
const SECOND = String(Math.floor(NOW / 1000));

/** A correctly signed request carrying arbitrary bytes. */
function rawRequest(k: DiscordKeys, body: Uint8Array): Request {
  const signature = sign(null, Buffer.concat([Buffer.from(SECOND), body]), k.privateKey).toString('hex');
  return new Request('https://example.com/interactions', { method: 'POST', headers: { 'x-signature-ed25519': signature, 'x-signature-timestamp': SECOND }, body });
}

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
}

function setup(extra: Partial<InteractionsHandlerOptions> = {}) {
  const clock = createManualClock(NOW);
  const rejections: WebhookRejection[] = [];
  const errors: unknown[] = [];
  const calls: Call[] = [];
  let status = 200;
  const handler = createInteractionsHandler({
    publicKey: keys.publicKeyHex,
    clock,
    onCommand: () => ({ type: 4, data: { content: 'ok' } }),
    onReject: (r) => rejections.push(r),
    onError: (e) => errors.push(e),
    fetch: async (url, init) => {
      calls.push({ url: String(url), method: String(init?.method), headers: { ...(init?.headers as Record<string, string>) }, body: String(init?.body) });
      return new Response(status === 204 ? null : '{}', { status });
    },
    ...extra,
  });
  return {
    clock,
    handler,
    rejections,
    errors,
    calls,
    failWith(code: number) {
      status = code;
    },
  };
}

/** A handler that answers only when released (to force a deferral). */
function gated(reply: InteractionReply) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const contexts: InteractionContext[] = [];
  const handler = async (_: unknown, context: InteractionContext) => {
    contexts.push(context);
    await gate;
    return reply;
  };
  return { handler, release, contexts };
}

function configError(make: () => unknown): ConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('Discord refusals as onReject sees them', () => {
  it('reports method, size, header and signature refusals with their own reason and text', async () => {
    const { handler, rejections } = setup({ maxBodyBytes: 100 });
    const body = interactionBody('1');
    const responses = [
      await handler.handle(discordRequest(keys, body, { method: 'PUT' })),
      await handler.handle(discordRequest(keys, body)),
      await handler.handle(discordRequest(keys, '{}', { signature: null })),
      await handler.handle(new Request('https://example.com/interactions', { method: 'POST', headers: { 'x-signature-ed25519': 'aa' }, body: '{}' })),
      await handler.handle(discordRequest(keys, '{}', { timestamp: '17e8' })),
      await handler.handle(discordRequest(keys, '{}', { signature: 'ab'.repeat(64) })),
    ];
    expect(await Promise.all(responses.map(async (r) => [r.status, r.headers.get('content-type'), await r.text()]))).toEqual([
      [405, 'text/plain; charset=utf-8', 'Method Not Allowed'],
      [413, 'text/plain; charset=utf-8', 'Payload Too Large'],
      [401, 'text/plain; charset=utf-8', 'invalid request signature'],
      [401, 'text/plain; charset=utf-8', 'invalid request signature'],
      [401, 'text/plain; charset=utf-8', 'invalid request signature'],
      [401, 'text/plain; charset=utf-8', 'invalid request signature'],
    ]);
    expect(rejections).toEqual([
      { reason: 'method', status: 405 },
      { reason: 'too-large', status: 413 },
      { reason: 'missing-header', status: 401 },
      { reason: 'missing-header', status: 401 },
      { reason: 'malformed-header', status: 401 },
      { reason: 'bad-signature', status: 401 },
    ]);
  });

  it('a body stream that fails while being read is a 400 malformed-body', async () => {
    const { handler, rejections, errors } = setup();
    const failing = new Request('https://example.com/interactions', {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.error(new Error('connection reset'));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    const response = await handler.handle(failing);
    expect([response.status, await response.text()]).toEqual([400, 'Bad Request']);
    expect(rejections).toEqual([{ reason: 'malformed-body', status: 400 }]);
    expect(errors).toEqual([]);
  });

  it('signed bodies that are not JSON, not UTF-8 or not an interaction are malformed, without an id', async () => {
    const { handler, rejections } = setup();
    const invalidUtf8 = new TextEncoder().encode(interactionBody('40', 2, { data: { name: 'AB' } }));
    const at = invalidUtf8.indexOf(0x41);
    invalidUtf8[at] = 0xff;
    invalidUtf8[at + 1] = 0xfe;
    const bodies = [new TextEncoder().encode('{"id":'), invalidUtf8, new TextEncoder().encode(JSON.stringify({ ...JSON.parse(interactionBody('41')), type: '1' }))];
    for (const body of bodies) expect((await handler.handle(rawRequest(keys, body))).status).toBe(400);
    expect(rejections).toEqual(bodies.map(() => ({ reason: 'malformed-body', status: 400 })));
  });

  it('a replayed interaction is a 401 duplicate naming the interaction id', async () => {
    const { handler, rejections } = setup();
    const body = interactionBody('50', 1);
    expect((await handler.handle(discordRequest(keys, body))).status).toBe(200);
    const replay = await handler.handle(discordRequest(keys, body));
    expect([replay.status, await replay.text()]).toEqual([401, 'invalid request signature']);
    expect(rejections).toEqual([{ reason: 'duplicate', status: 401, id: '50' }]);
  });

  it('the seen store given is the one used (a replay to another instance is refused)', async () => {
    const clock = createManualClock(NOW);
    const seen = createMemorySeenIdStore({ clock });
    const rejections: WebhookRejection[] = [];
    const make = () => createInteractionsHandler({ publicKey: keys.publicKeyHex, clock, seen, onCommand: () => ({ type: 4 }), onReject: (r) => rejections.push(r) });
    const body = interactionBody('51', 1);
    expect((await make().handle(discordRequest(keys, body))).status).toBe(200);
    expect((await make().handle(discordRequest(keys, body))).status).toBe(401);
    expect(rejections).toEqual([{ reason: 'duplicate', status: 401, id: '51' }]);
  });
});

describe('Discord failures of our own', () => {
  const failingStore = (): SeenIdStore => ({
    has: async () => false,
    add: async () => {
      throw new Error('redis: connection refused');
    },
  });

  it('a failing seen-id store is a 500 reported to onError, echoing nothing from the request', async () => {
    const { handler, errors, rejections } = setup({ seen: failingStore() });
    const request = discordRequest(keys, interactionBody('60'));
    const signature = request.headers.get('x-signature-ed25519') ?? '';
    const response = await handler.handle(request);
    const text = await response.text();
    expect([response.status, text]).toEqual([500, 'Internal Server Error']);
    expect(text).not.toContain(signature);
    expect(text).not.toContain(keys.publicKeyHex);
    expect(errors).toEqual([new Error('redis: connection refused')]);
    expect(rejections).toEqual([]);
  });

  it('without onError, failures are still answered (handle never rejects): store, sync and async handler errors', async () => {
    const base = { publicKey: keys.publicKeyHex, clock: createManualClock(NOW) };
    const store = createInteractionsHandler({ ...base, seen: failingStore(), onCommand: () => ({ type: 4 }) });
    expect((await store.handle(discordRequest(keys, interactionBody('61')))).status).toBe(500);
    const sync = createInteractionsHandler({
      ...base,
      onCommand: () => {
        throw new Error('sync');
      },
    });
    const a = await sync.handle(discordRequest(keys, interactionBody('62')));
    expect([a.status, a.headers.get('content-type'), await a.json()]).toEqual([500, 'application/json', { error: 'interaction handler failed' }]);
    const rejecting = createInteractionsHandler({ ...base, onCommand: async () => Promise.reject(new Error('async')) });
    const b = await rejecting.handle(discordRequest(keys, interactionBody('63')));
    expect([b.status, await b.json()]).toEqual([500, { error: 'interaction handler failed' }]);
  });

  it('a handler answering asynchronously before the deadline is answered with its reply', async () => {
    const { handler, errors } = setup({ onCommand: async () => ({ type: 4, data: { content: 'fast' } }) });
    const response = await handler.handle(discordRequest(keys, interactionBody('64')));
    expect([response.status, response.headers.get('content-type'), await response.json()]).toEqual([200, 'application/json', { type: 4, data: { content: 'fast' } }]);
    expect(errors).toEqual([]);
  });

  it('a clock whose sleep fails defers the interaction instead of failing it', async () => {
    const manual = createManualClock(NOW);
    const clock: Clock = { now: () => manual.now(), sleep: async () => Promise.reject(new Error('clock stopped')) };
    const { handler, calls, errors } = setup({ clock, onCommand: gated({ type: 4, data: { content: 'later' } }).handler });
    const response = await handler.handle(discordRequest(keys, interactionBody('65')));
    expect([response.status, await response.json()]).toEqual([200, { type: 5 }]);
    expect(calls).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('Discord deferrals and follow-ups', () => {
  it('defers commands and modal submits with type 5, components with type 6', async () => {
    const { handler, clock } = setup({ onCommand: gated({ type: 4 }).handler, onComponent: gated({ type: 7 }).handler, deferAfterMs: 100 });
    const answers: unknown[] = [];
    for (const [id, type] of [
      ['70', 2],
      ['71', 5],
      ['72', 3],
    ] as const) {
      const pending = handler.handle(discordRequest(keys, interactionBody(id, type)));
      await clock.advance(100);
      answers.push(await (await pending).json());
    }
    expect(answers).toEqual([{ type: 5 }, { type: 5 }, { type: 6 }]);
  });

  it('the follow-up is a JSON PATCH of the original response under baseUrl (trailing slashes dropped)', async () => {
    const slow = gated({ type: 4, data: { content: 'done' } });
    const { handler, clock, calls, errors } = setup({ onCommand: slow.handler, deferAfterMs: 0, baseUrl: 'https://discord.test/api//' });
    const pending = handler.handle(discordRequest(keys, interactionBody('73')));
    await clock.advance(0);
    expect(await (await pending).json()).toEqual({ type: 5 });
    slow.release();
    await handler.idle();
    expect(calls).toEqual([
      { url: 'https://discord.test/api/webhooks/111111111111111111/tok-73/messages/@original', method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"content":"done"}' },
    ]);
    expect(errors).toEqual([]);
    // The handler's signal ends once the follow-up is sent.
    expect(slow.contexts[0]?.signal.aborted).toBe(true);
  });

  it('a deferred reply without data sends nothing and reports nothing', async () => {
    const slow = gated({ type: 4 });
    const { handler, clock, calls, errors } = setup({ onCommand: slow.handler, deferAfterMs: 0 });
    const pending = handler.handle(discordRequest(keys, interactionBody('74')));
    await clock.advance(0);
    await pending;
    slow.release();
    await handler.idle();
    expect(calls).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('a follow-up Discord refuses is reported to onError with its status, not the token', async () => {
    const slow = gated({ type: 4, data: { content: 'late' } });
    const { handler, clock, calls, errors, failWith } = setup({ onCommand: slow.handler, deferAfterMs: 0 });
    failWith(404);
    const pending = handler.handle(discordRequest(keys, interactionBody('75')));
    await clock.advance(0);
    expect((await pending).status).toBe(200);
    slow.release();
    await handler.idle();
    expect(calls).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(Error);
    expect((errors[0] as Error).message).toBe('Discord follow-up failed with HTTP 404');
    expect((errors[0] as Error).message).not.toContain('tok-75');
  });

  it('a follow-up answered 204 is a success', async () => {
    const slow = gated({ type: 4, data: { content: 'late' } });
    const { handler, clock, calls, errors, failWith } = setup({ onCommand: slow.handler, deferAfterMs: 0 });
    failWith(204);
    const pending = handler.handle(discordRequest(keys, interactionBody('76')));
    await clock.advance(0);
    await pending;
    slow.release();
    await handler.idle();
    expect(calls).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('the handler signal is aborted when the 15-minute token window ends', async () => {
    const slow = gated({ type: 4 });
    const { handler, clock } = setup({ onCommand: slow.handler, deferAfterMs: 0 });
    const pending = handler.handle(discordRequest(keys, interactionBody('77')));
    await clock.advance(0);
    await pending;
    const signal = slow.contexts[0]?.signal;
    if (signal === undefined) throw new Error('the handler was not called');
    await clock.advance(15 * 60_000 - 1);
    expect(signal.aborted).toBe(false);
    await clock.advance(1);
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).message).toBe('interaction token expired');
    slow.release();
    await handler.idle();
  });
});

describe('Discord configuration errors name the field', () => {
  const make = (extra: Record<string, unknown>) => () => createInteractionsHandler({ publicKey: keys.publicKeyHex, onCommand: () => ({ type: 1 }), ...extra } as InteractionsHandlerOptions);

  it('onCommand, deferAfterMs, maxAgeMs and publicKey', () => {
    const onCommand = configError(make({ onCommand: undefined }));
    expect([onCommand.message, onCommand.issues]).toEqual(['onCommand must be a function', [{ path: 'onCommand', message: 'must be a function' }]]);
    expect(configError(make({ deferAfterMs: 3_000 })).message).toBe('deferAfterMs must be 0-2900');
    const maxAge = configError(make({ maxAgeMs: 0 }));
    expect([maxAge.message, maxAge.issues]).toEqual(['maxAgeMs must be a positive integer', [{ path: 'maxAgeMs', message: 'must be a positive integer' }]]);
    const publicKey = configError(make({ publicKey: 'not-hex' }));
    expect(publicKey.issues).toEqual([{ path: 'publicKey', message: 'must be 64 hex characters or 32 bytes' }]);
    expect(publicKey.cause).toBeInstanceOf(Error);
    expect(publicKey.message).not.toContain('not-hex');
  });
});
