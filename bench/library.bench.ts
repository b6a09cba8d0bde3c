// Storage benchmarks, each printing ratios against a baseline measured in the same run:
// S3 adapter overhead vs the raw SDK against s3rver, listing 100,000 keys through the facade
// (memory and fs) with RSS growth, and `scan` throughput with its concurrency bound.
// Run: npm run bench -- library
import { run as intelligence } from './library-intelligence';
import { run as listing } from './library-listing';
import { run as s3 } from './library-s3';

async function main(): Promise<void> {
  for (const section of [listing, intelligence, s3]) await section();
}

main().catch((error: unknown) => {
  console.error('library bench failed:', error);
  process.exitCode = 1;
});
