// Listing 100,000 memory users through the identity facade: throughput per page size, the
// facade's overhead over the bare provider's pages, and RSS growth while iterating. Baseline
// measured in the same run: iterating a plain array of the same users.
// Run: npm run bench -- identity
import { createIdentity } from '@almanac/identity';
import type { User } from '@almanac/identity';
import { createMemoryIdentityProvider } from '@almanac/identity/memory';

const USERS = 100_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function time(label: string, iterate: () => AsyncIterable<User> | Iterable<User>): Promise<number> {
  gc();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  let count = 0;
  let sink = 0;
  const start = performance.now();
  for await (const user of iterate()) {
    sink += user.email.length;
    if ((++count & 4095) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = Math.max(performance.now() - start, 0.001);
  if (count !== USERS) throw new Error(`${label}: listed ${count} users, expected ${USERS}`);
  console.log(
    `  ${label.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms = ${Math.round(count / (ms / 1000)).toLocaleString('en-US').padStart(11)} users/s; RSS growth ${((peak - rssBefore) / 1e6).toFixed(1)} MB (sink ${sink % 7})`,
  );
  return ms;
}

async function main(): Promise<void> {
  const seedStart = performance.now();
  const provider = createMemoryIdentityProvider({
    users: Array.from({ length: USERS }, (_, i) => ({ email: `user${i}@example.com`, name: `User ${i}`, createdAt: new Date(1_700_000_000_000 + i) })),
  });
  const identity = createIdentity(provider);
  console.log(`identity listing: ${USERS.toLocaleString('en-US')} memory users (seeded in ${(performance.now() - seedStart).toFixed(0)} ms)`);

  // The baseline holds the same users, already built, in an array.
  const plain: User[] = [];
  for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
    const page = await provider.listUsersPage({ pageSize: 1_000, ...(cursor === undefined ? {} : { cursor }) });
    plain.push(...page.items);
    cursor = page.cursor;
  }
  const baseline = await time('baseline: plain array', () => plain);
  plain.length = 0;

  const bare = await time('provider pages (1,000), no facade', async function* () {
    for (let cursor: string | undefined, first = true; first || cursor !== undefined; first = false) {
      const page = await provider.listUsersPage({ pageSize: 1_000, ...(cursor === undefined ? {} : { cursor }) });
      yield* page.items;
      cursor = page.cursor;
    }
  });
  const facade1000 = await time('facade listUsers, pages of 1,000', () => identity.listUsers({ pageSize: 1_000 }));
  const facade100 = await time('facade listUsers, pages of 100', () => identity.listUsers());
  const exported = await time('facade exportUsers (snapshot)', () => identity.exportUsers());

  console.log(`  ratios vs baseline: provider ${(bare / baseline).toFixed(1)}x, facade/1,000 ${(facade1000 / baseline).toFixed(1)}x, facade/100 ${(facade100 / baseline).toFixed(1)}x, export ${(exported / baseline).toFixed(1)}x`);
  console.log(`  facade overhead over bare provider pages (1,000): ${(facade1000 / bare).toFixed(2)}x`);
}

main().catch((error: unknown) => {
  console.error('identity bench failed:', error);
  process.exitCode = 1;
});
