// Two costs of @almanac/bookings that users feel before anything else happens:
//
// 1. Importing the package root, in a fresh Node process, over a bare `node` start: the root
//    must not load chrono-node (it loads on the first parseMeetingRequest call) nor ical.js
//    (only the /ics adapter needs it). Target: root import <= 150 ms over baseline (median).
// 2. One freeBusy query for next week on an ICS feed with a 15-minute series that started ten
//    years ago: expansion must start near the query, not at DTSTART. Target: < 50 ms (median,
//    after one warm-up query on a fresh calendar per run).
//
// Always exits 0. Run: npm run bench -- bookings-import
import { spawnSync } from 'node:child_process';
import { createIcsCalendar } from '@almanac/bookings/ics';

const SPAWNS = 9;
const QUERIES = 15;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? Number.NaN;
const ms = (value: number) => `${value.toFixed(1)} ms`;

function spawnMs(args: string[]): number {
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { stdio: 'ignore', cwd: process.cwd() });
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${child.status}`);
  return performance.now() - start;
}

const FEED = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Almanac//Bench//EN',
  'BEGIN:VEVENT',
  'UID:poll@example.com',
  'DTSTAMP:20160101T000000Z',
  'DTSTART;TZID=Europe/Berlin:20161205T080000',
  'DTEND;TZID=Europe/Berlin:20161205T080500',
  'RRULE:FREQ=MINUTELY;INTERVAL=15',
  'SUMMARY:Health check',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

async function main(): Promise<void> {
  const baseline: number[] = [];
  const root: number[] = [];
  const parse: number[] = [];
  for (let run = 0; run < SPAWNS; run++) {
    baseline.push(spawnMs(['-e', '']));
    root.push(spawnMs(['--input-type=module', '-e', "await import('@almanac/bookings')"]));
    parse.push(
      spawnMs([
        '--input-type=module',
        '-e',
        "const { parseMeetingRequest } = await import('@almanac/bookings'); await parseMeetingRequest('30 min tomorrow', { now: new Date(), timeZone: 'UTC' });",
      ]),
    );
  }
  // CPU time of the import itself, measured inside the child: far less sensitive to a busy
  // machine than wall-clock spawn times.
  const cpu = (specifiers: string[]) => {
    const code = `const t = process.cpuUsage(); await Promise.all(${JSON.stringify(specifiers)}.map((m) => import(m))); const u = process.cpuUsage(t); process.stdout.write(String((u.user + u.system) / 1000));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    return Number(child.stdout);
  };
  const rootCpu = median(Array.from({ length: SPAWNS }, () => cpu(['@almanac/bookings'])));
  const chronoCpu = median(Array.from({ length: SPAWNS }, () => cpu(['chrono-node'])));
  const over = median(root) - median(baseline);
  console.log(`bookings: import cost in a fresh process (${SPAWNS} runs each, medians)`);
  console.log(`  node -e ''                          ${ms(median(baseline))}`);
  console.log(`  import('@almanac/bookings')         ${ms(median(root))}  (+${ms(over)} over baseline, target <= 150 ms) ${over <= 150 ? 'PASS' : 'MISS'}`);
  console.log(`  … plus a first parseMeetingRequest  ${ms(median(parse))}  (+${ms(median(parse) - median(root))}: chrono-node loads here)`);
  console.log(`  CPU time of the root import         ${ms(rootCpu)}  (chrono-node alone, no longer in it: ${ms(chronoCpu)})`);

  const times: number[] = [];
  const week = { start: '2026-11-30T00:00:00Z', end: '2026-12-07T00:00:00Z' };
  for (let run = 0; run < QUERIES; run++) {
    const calendar = createIcsCalendar({ source: { text: FEED }, defaultTimeZone: 'Europe/Berlin' });
    // Warm-up parses the feed (cached per calendar); the timed query is expansion only.
    await calendar.freeBusy({ calendars: ['feed'], range: week });
    const start = performance.now();
    const [result] = await calendar.freeBusy({ calendars: ['feed'], range: week });
    times.push(performance.now() - start);
    if (result?.busy.length !== 7 * 96) throw new Error(`expected ${7 * 96} busy blocks, got ${result?.busy.length}`);
  }
  const query = median(times);
  console.log(`bookings: ICS freeBusy next week, 15-minute series since 2016 (${QUERIES} runs, median)`);
  console.log(`  query                               ${ms(query)}  (target < 50 ms) ${query < 50 ? 'PASS' : 'MISS'}`);
}

main().catch((error: unknown) => {
  console.error('bookings-import bench failed:', error);
});
