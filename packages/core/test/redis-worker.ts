// A child process of the multi-instance Redis tests (run with `node --import tsx`): one
// "instance" of an Almanac service sharing Redis with its siblings. It connects to the URL in
// argv[2], prints `{"ready":true}`, then runs each scenario it reads as a JSON line on stdin
// and prints one JSON line with what it observed. The parent sends a scenario to every worker
// at once, so the instances contend for real.
import { createInterface } from 'node:readline';
import { withLock } from '../src/locks';
import { createRedisClient, createRedisLock, createRedisRateLimiter, createRedisSeenIdStore, createRedisTokenStore } from '../src/redis';
import type { RedisConnection } from '../src/redis';
import { createTokenVault } from '../src/secrets';
import { createReplayGuard } from '../src/webhooks';

type Scenario =
  | { kind: 'webhook'; deliveries: Array<{ id: string; timestamp: number }>; prefix: string }
  | { kind: 'ratelimit'; durationMs: number; capacity: number; refillPerSecond: number; prefix: string }
  | { kind: 'refresh'; concurrency: number; tokenUrl: string; vaultKey: string; prefix: string };

async function webhook(client: RedisConnection, scenario: Extract<Scenario, { kind: 'webhook' }>) {
  const guard = createReplayGuard({ store: createRedisSeenIdStore({ client, prefix: scenario.prefix }), timestampUnit: 'milliseconds' });
  // Every instance receives every delivery (the sender retried to each of them), all at once.
  const outcomes = await Promise.all(scenario.deliveries.map(async (delivery) => ({ id: delivery.id, result: await guard.check(delivery) })));
  return { dispatched: outcomes.filter((outcome) => outcome.result.ok).map((outcome) => outcome.id) };
}

async function rateLimit(client: RedisConnection, scenario: Extract<Scenario, { kind: 'ratelimit' }>) {
  const { capacity, refillPerSecond, prefix } = scenario;
  const limiter = createRedisRateLimiter({ client, capacity, refillPerSecond, prefix });
  const firstSendAt = Date.now();
  const grants: number[] = [];
  let denied = 0;
  while (Date.now() - firstSendAt < scenario.durationMs) {
    const decision = await limiter.take('global');
    if (decision.granted) grants.push(Date.now());
    else {
      denied++;
      await new Promise((resolve) => setTimeout(resolve, Math.min(decision.retryAfterMs, 20)));
    }
  }
  return { firstSendAt, lastReplyAt: Date.now(), grants, denied };
}

async function refresh(client: RedisConnection, scenario: Extract<Scenario, { kind: 'refresh' }>) {
  const vault = createTokenVault({ currentKeyId: 'k1', keys: { k1: scenario.vaultKey } });
  const store = createRedisTokenStore({ client, vault, prefix: `${scenario.prefix}tokens:` });
  const lock = createRedisLock({ client, prefix: `${scenario.prefix}lock:` });
  const fresh = async () => {
    const stored = await store.get('acme');
    if (!stored) return undefined;
    const tokens = JSON.parse(stored) as { accessToken: string; expiresAt: number };
    return tokens.expiresAt > Date.now() ? tokens.accessToken : undefined;
  };
  // Single-flight refresh across instances: re-check under the lock, refresh only if still stale.
  const getToken = async () =>
    (await fresh()) ??
    withLock(lock, 'refresh:acme', { ttlMs: 15_000 }, async () => {
      const again = await fresh();
      if (again) return again;
      const response = await fetch(scenario.tokenUrl, { method: 'POST' });
      const body = (await response.json()) as { access_token: string; expires_in: number };
      await store.set('acme', JSON.stringify({ accessToken: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 }));
      return body.access_token;
    });
  return { tokens: await Promise.all(Array.from({ length: scenario.concurrency }, () => getToken())) };
}

function run(client: RedisConnection, scenario: Scenario): Promise<unknown> {
  if (scenario.kind === 'webhook') return webhook(client, scenario);
  if (scenario.kind === 'ratelimit') return rateLimit(client, scenario);
  return refresh(client, scenario);
}

const client = await createRedisClient({ url: process.argv[2] as string });
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== '') process.stdout.write(`${JSON.stringify(await run(client, JSON.parse(line) as Scenario))}\n`);
}
await client.close();
