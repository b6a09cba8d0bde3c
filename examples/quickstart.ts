/**
 * Almanac quick start: runs on embedded defaults, no cloud account needed.
 *
 *   npm ci && npm run demo
 *
 * Shows what is available today: @almanac/core (errors, validation, retrying HTTP,
 * redaction, token vault, webhook verification), @almanac/oracle (slot finding, churn and
 * lifetime value, storage tiering, autoscaling), @almanac/bookings (a meeting request
 * parsed, a time found across a memory and an ICS calendar, and booked),
 * @almanac/library (a bucket scanned for sensitive data and storage-class savings) and
 * @almanac/identity (a suspicious login blocked, an access review, the audit log verified) and
 * @almanac/engine (the simulator autoscaling a service through a load spike).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import {
  AlmanacError,
  computeHmacSha256,
  createManualClock,
  createConsoleLogger,
  createHttpClient,
  createRedactor,
  createReplayGuard,
  createTokenVault,
  generateKey,
  parse,
  verifyHmacSha256,
} from '@almanac/core';
import {
  bgNbdExpectedPurchases,
  bgNbdProbabilityAlive,
  churnModelFromBgNbd,
  customerLifetimeValue,
  findSlots,
  fitBgNbd,
  fitGammaGamma,
  hpaDesiredReplicas,
  recommendStorageClass,
  type RfmCustomer,
  scoreChurn,
} from '@almanac/oracle';
import { book, findMeetingTimes, parseMeetingRequest } from '@almanac/bookings';
import { createIcsCalendar } from '@almanac/bookings/ics';
import { createMemoryCalendar } from '@almanac/bookings/memory';
import { createAuditLog, createMemoryAuditStore, createMemoryLoginHistory, createSecurityAdvisor } from '@almanac/identity';
import { createMemoryIdentity } from '@almanac/identity/memory';
import { createAutoscaler } from '@almanac/engine';
import { createSimulatorCompute } from '@almanac/engine/simulator';
import { scan } from '@almanac/library';
import { createMemoryStorage } from '@almanac/library/memory';
import { z } from 'zod';

const out = (line = '') => process.stdout.write(`${line}\n`);
const heading = (title: string) => out(`\n== ${title} ==`);

async function httpDemo(): Promise<void> {
  heading('core: HTTP client with retry (a local server answers 503 once, then 200)');
  let calls = 0;
  const server = createServer((_req, res) => {
    calls++;
    if (calls === 1) {
      res.writeHead(503, { 'retry-after': '0' }).end('{"error":"warming up"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  try {
    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${port}`, provider: 'demo', timeoutMs: 2_000 });
    const response = await client.get<{ status: string }>('/health');
    out(`GET /health -> ${response.status} ${JSON.stringify(response.data)} after ${response.attempts} attempts`);
  } finally {
    server.close();
  }
}

function validationDemo(): void {
  heading('core: every bad field named at once');
  const meeting = z.object({ title: z.string().min(1), durationMinutes: z.number().int().positive() });
  try {
    parse(meeting, { title: '', durationMinutes: -30 }, { path: 'meeting' });
  } catch (error) {
    if (AlmanacError.isInstance(error)) out(`${error.code}: ${error.message}`);
  }
}

function secretsDemo(): void {
  heading('core: secrets stay secret');
  const redactor = createRedactor({ secrets: ['sk_live_demo_4242'] });
  const lines: string[] = [];
  const capture = (...args: unknown[]) => lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
  const logger = createConsoleLogger({ console: { debug: capture, info: capture, warn: capture, error: capture }, level: 'info', redactor });
  logger.info('calling billing API with sk_live_demo_4242', { authorization: 'Bearer abc.def', customer: 'c_42' });
  out(`logged: ${lines.join(' | ')}`);

  const vault = createTokenVault({ currentKeyId: '2026-01', keys: { '2026-01': generateKey() } });
  const envelope = vault.encrypt('refresh-token-123');
  out(`vault envelope (AES-256-GCM, key id inside): ${envelope.slice(0, 28)}…  decrypts back: ${vault.decrypt(envelope) === 'refresh-token-123'}`);

  const secret = 'whsec_demo';
  const body = '{"event":"stream.online"}';
  const signature = computeHmacSha256({ secret, payload: body, prefix: 'sha256=' });
  const guard = createReplayGuard({ windowMs: 10 * 60_000, timestampUnit: 'milliseconds' });
  const delivery = { id: 'msg-1', timestamp: Date.now() };
  out(`webhook signature valid: ${verifyHmacSha256({ secret, payload: body, signature, prefix: 'sha256=' })}`);
  out(`tampered body accepted: ${verifyHmacSha256({ secret, payload: `${body} `, signature, prefix: 'sha256=' })}`);
  return void guard.check(delivery).then(async (first) => {
    const again = await guard.check(delivery);
    out(`first delivery ok: ${first.ok}; replayed delivery ok: ${again.ok}${again.ok ? '' : ` (${again.reason})`}`);
  });
}

function slotsDemo(): void {
  heading('oracle: best meeting times for a New York + London team (next week, 30 min)');
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));
  const slots = findSlots({
    range: { start: '2026-11-23T00:00:00Z', end: '2026-11-28T00:00:00Z' },
    durationMinutes: 30,
    stepMinutes: 30,
    maxResults: 5,
    participants: [
      { id: 'ana@nyc', timeZone: 'America/New_York', workingHours: weekdays, busy: [{ start: '2026-11-23T14:00:00Z', end: '2026-11-23T16:00:00Z' }] },
      { id: 'ben@london', timeZone: 'Europe/London', workingHours: weekdays, busy: [{ start: '2026-11-24T14:00:00Z', end: '2026-11-24T15:00:00Z' }] },
      { id: 'chloe@london', timeZone: 'Europe/London', workingHours: weekdays, busy: [{ start: '2026-11-25T14:00:00Z', end: '2026-11-25T17:00:00Z' }], optional: true },
    ],
  });
  for (const slot of slots) {
    const ny = slot.start.toLocaleString('en-US', { timeZone: 'America/New_York', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    const ldn = slot.start.toLocaleString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' });
    out(`${slot.start.toISOString()}  NY ${ny} / London ${ldn}  score ${slot.score.toFixed(2)}  missing: ${slot.missing.join(', ') || 'nobody'}`);
  }
}

function loadCustomers(): { customers: Array<RfmCustomer & { monetaryValue: number }>; source: string } {
  // The CDNOW sample is vendored in the repository (datasets/README.md lists its source and license).
  const file = resolve(import.meta.dirname, '../datasets/cdnow/cdnow_customers_summary_with_transactions.csv');
  if (!existsSync(file)) throw new Error(`${file} not found: the demo reads the CDNOW sample vendored in datasets/`);
  const rows = readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1);
  const customers = rows.map((row) => {
    const [, frequency, recency, T, monetaryValue] = row.split(',').map(Number) as number[];
    return { frequency: frequency ?? 0, recency: recency ?? 0, T: T ?? 0, monetaryValue: monetaryValue ?? 0 };
  });
  return { customers, source: `CDNOW sample (${customers.length} customers, weeks)` };
}

function churnDemo(): void {
  const { customers, source } = loadCustomers();
  heading(`oracle: churn and lifetime value on the ${source}`);
  const bgNbd = fitBgNbd(customers);
  const gammaGamma = fitGammaGamma(customers);
  out(`BG/NBD r=${bgNbd.r.toFixed(3)} alpha=${bgNbd.alpha.toFixed(3)} a=${bgNbd.a.toFixed(3)} b=${bgNbd.b.toFixed(3)} (log-likelihood ${bgNbd.logLikelihood.toFixed(1)})`);
  out(`Gamma-Gamma p=${gammaGamma.p.toFixed(2)} q=${gammaGamma.q.toFixed(2)} gamma=${gammaGamma.gamma.toFixed(2)}`);
  const model = churnModelFromBgNbd(bgNbd);
  const examples = [
    { label: 'loyal (12 repeat buys, last one recently)', frequency: 12, recency: 37, T: 38, monetaryValue: 45 },
    { label: 'lapsing (5 repeat buys, none for 25 weeks)', frequency: 5, recency: 12, T: 37, monetaryValue: 30 },
  ];
  for (const customer of examples) {
    const churn = scoreChurn(model, { frequency: customer.frequency, recency: customer.recency, T: customer.T });
    const alive = bgNbdProbabilityAlive(bgNbd, customer);
    const next = bgNbdExpectedPurchases(bgNbd, customer, 52);
    const clv = customerLifetimeValue({ bgNbd, gammaGamma, customer, horizonMonths: 12, monthlyDiscountRate: 0.01, timeUnitsPerMonth: 4.345 });
    out(`${customer.label}: P(alive) ${(alive * 100).toFixed(0)}%, churn risk ${churn.category}, next-year purchases ${next.toFixed(2)}, 12-month CLV $${clv.toFixed(2)}`);
  }
}

function infraDemo(): void {
  heading('oracle: storage tiering and autoscaling');
  const cold = recommendStorageClass(
    { sizeBytes: 50 * 1024 ** 3, ageDays: 200, currentClass: 'STANDARD', daysSinceLastAccess: 180, readsPerMonth: 0 },
    { provider: 'aws' },
  );
  out(`50 GiB S3 object unread for 180 days -> ${cold.storageClass}: saves $${cold.monthlySavings.toFixed(2)}/month (${cold.reason})`);
  const hot = recommendStorageClass({ sizeBytes: 10 * 1024, ageDays: 400, currentClass: 'STANDARD', readsPerMonth: 30 }, { provider: 'aws' });
  out(`10 KiB object read daily -> ${hot.storageClass} (${hot.reason})`);
  const hpa = hpaDesiredReplicas({ currentReplicas: 4, metrics: [{ currentValue: 180, targetValue: 100 }], maxReplicas: 20 });
  out(`HPA: 4 replicas at 180% of target CPU -> ${hpa.replicas} replicas (${hpa.reason})`);
}

// A consultant shares her calendar as an iCalendar feed (a URL or file works the same way).
const CONSULTANT_FEED = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Almanac//quickstart//EN
X-WR-CALNAME:Chloe (consultant)
BEGIN:VEVENT
UID:standup@chloe.example
DTSTAMP:20261101T000000Z
DTSTART;TZID=Europe/Paris:20261102T150000
DTEND;TZID=Europe/Paris:20261102T160000
RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR
SUMMARY:Client stand-up
END:VEVENT
BEGIN:VEVENT
UID:offsite@chloe.example
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20261126
DTEND;VALUE=DATE:20261127
SUMMARY:Offsite
END:VEVENT
END:VCALENDAR`;

async function bookingsDemo(): Promise<void> {
  heading('bookings: parse a request, find a time across memory and ICS calendars, book it');
  const now = new Date('2026-11-22T15:00:00Z');
  const team = createMemoryCalendar({
    calendars: ['ana@team.example', 'ben@team.example'],
    seed: [
      { calendarId: 'ana@team.example', title: 'Planning', start: new Date('2026-11-24T14:00:00Z'), end: new Date('2026-11-24T15:00:00Z'), timeZone: 'America/New_York' },
      { calendarId: 'ben@team.example', title: 'Hiring panel', start: new Date('2026-11-24T15:30:00Z'), end: new Date('2026-11-24T16:30:00Z'), timeZone: 'Europe/London' },
    ],
  });
  const consultant = createIcsCalendar({ source: CONSULTANT_FEED });
  const directory = { ana: 'ana@team.example', ben: 'ben@team.example', chloe: 'chloe@consultant.example' };
  const text = 'Find a 30-minute slot next Tuesday for the Sales team kickoff with Ana, Ben and Chloe';
  const request = await parseMeetingRequest(text, { now, timeZone: 'America/New_York', directory });
  out(`"${text}"`);
  out(`-> ${request.durationMinutes} min, ${request.range.start.toISOString()} .. ${request.range.end.toISOString()}, "${request.title}", ${request.attendees.join(', ')}`);
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, start: '09:00', end: '17:00' }));
  const { slots } = await findMeetingTimes({
    attendees: [
      { email: 'ana@team.example', calendar: team, timeZone: 'America/New_York', workingHours: weekdays },
      { email: 'ben@team.example', calendar: team, timeZone: 'Europe/London', workingHours: weekdays },
      { email: 'chloe@consultant.example', calendar: consultant, calendarId: 'feed', timeZone: 'Europe/Paris', workingHours: weekdays, optional: true },
    ],
    durationMinutes: request.durationMinutes,
    range: request.range,
    stepMinutes: 30,
    maxResults: 3,
    now,
  });
  for (const slot of slots) {
    out(`${Object.values(slot.localTimes).join(' | ')}  (${slot.explanation})`);
  }
  const best = slots[0];
  if (!best) return;
  const booking = await book({
    slot: best,
    organizer: { email: 'ana@team.example', calendar: team, timeZone: 'America/New_York' },
    attendees: [{ email: 'ben@team.example' }, { email: 'chloe@consultant.example', optional: true }],
    title: request.title,
    conference: 'meet',
    idempotencyKey: 'quickstart-kickoff',
  });
  const again = await book({
    slot: best,
    organizer: { email: 'ana@team.example', calendar: team, timeZone: 'America/New_York' },
    attendees: [{ email: 'ben@team.example' }, { email: 'chloe@consultant.example', optional: true }],
    title: request.title,
    conference: 'meet',
    idempotencyKey: 'quickstart-kickoff',
  });
  out(`booked ${booking.event.id} with ${booking.joinUrl} (placeholder link from the memory calendar); retry returned the same event: ${again.event.id === booking.event.id}`);
}

async function storageDemo(): Promise<void> {
  heading('library: scan a bucket for sensitive data and storage-class savings (memory adapter)');
  // S3's class names, so the S3 price table applies (see examples/storage-scan.ts for more).
  const clock = createManualClock(Date.parse('2024-03-01T00:00:00Z'));
  const storage = createMemoryStorage({ clock, storageClasses: ['STANDARD', 'STANDARD_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] });
  await storage.write('logs/2024/api-archive.log.gz', new Uint8Array(256 * 1024 * 1024), { contentType: 'application/gzip' });
  clock.set(Date.parse('2026-11-15T00:00:00Z'));
  await storage.write('payments/2026-10.csv', 'order,name,card,amount\n1001,Ann Lee,4111 1111 1111 1111,42.00\n', { contentType: 'text/csv' });
  await storage.write('app/.env', 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n');
  await storage.write('docs/README.md', '# Team handbook\n', { contentType: 'text/markdown' });
  const run = scan(storage, {
    now: new Date('2026-11-22T00:00:00Z'),
    standard: 'gdpr',
    accessStats: (key) => (key.startsWith('logs/') ? { daysSinceLastAccess: 400 } : undefined),
  });
  for await (const result of run) {
    const findings = result.findings.map((finding) => `${finding.type} ${finding.samples.join(', ')}`).join('; ');
    const tiering = result.tiering && result.tiering.storageClass !== result.tiering.currentClass ? `, move to ${result.tiering.storageClass} (saves $${result.tiering.monthlySavings.toFixed(4)}/month)` : '';
    out(`${result.key}: ${result.classification}${findings ? ` [${findings}]` : ''}${tiering}`);
  }
  const summary = run.summary();
  out(`${summary.objects} objects, ${(summary.bytes / 1024 ** 2).toFixed(0)} MiB; projected savings $${summary.monthlySavings.toFixed(4)}/month at list prices`);
}

async function identityDemo(): Promise<void> {
  heading('identity: a suspicious login blocked, an access review, the audit log verified (memory tenant)');
  const day = 86_400_000;
  const now = Date.parse('2026-11-20T09:00:00Z');
  const clock = createManualClock(now);
  const audit = createAuditLog({ store: createMemoryAuditStore(), clock });
  const identity = createMemoryIdentity({
    clock,
    audit,
    actor: 'ops@example.com',
    roles: ['admin', 'viewer'],
    users: [
      { id: 'ana', email: 'ana@example.com', name: 'Ana', roles: ['viewer'], mfaMethods: ['otp'], createdAt: new Date(now - 300 * day) },
      { id: 'root', email: 'root@example.com', name: 'Root', roles: ['admin'], createdAt: new Date(now - 300 * day), lastLoginAt: new Date(now - day) },
      { id: 'ben', email: 'ben@example.com', name: 'Ben', mfaMethods: ['otp'], createdAt: new Date(now - 400 * day), lastLoginAt: new Date(now - 150 * day) },
    ],
  });
  const advisor = createSecurityAdvisor({ identity, history: createMemoryLoginHistory(), clock });
  const paris = { country: 'FR', lat: 48.86, lon: 2.35, deviceId: 'ana-laptop', timeZone: 'Europe/Paris' };
  for (let i = 10; i >= 1; i--) await advisor.recordLogin({ userId: 'ana', at: new Date(now - i * day), ...paris });
  const verdict = await advisor.recordLogin({ userId: 'ana', at: new Date(now - day + 3_600_000), country: 'AU', lat: -33.87, lon: 151.21, deviceId: 'unknown', timeZone: 'Australia/Sydney' });
  out(`Sydney an hour after Paris: score ${verdict.score} (${verdict.reasons.map((r) => r.code).join(', ')}) -> ${verdict.action}; ana blocked: ${(await identity.getUser('ana')).blocked}`);
  for await (const finding of advisor.reviewAccess()) {
    if (finding.kind === 'summary') out(`review: ${finding.users} users, ${finding.staleAccounts} stale, ${finding.privilegedWithoutMfa} privileged without MFA, ${finding.blockedWithRoles} blocked holding roles`);
    else if (finding.kind === 'high_risk') out(`  high risk ${finding.user.email}: ${finding.score} (${finding.reasons.map((r) => r.code).join(', ')})`);
    else out(`  ${finding.kind.replaceAll('_', ' ')}: ${finding.user.email}`);
  }
  await identity.removeRoles('ana', ['viewer']); // acting on the review, as ops@example.com
  for await (const entry of audit.entries()) out(`audit #${entry.seq} ${entry.actor} ${entry.action} ${entry.target} ${entry.outcome} ${entry.hash.slice(0, 12)}…`);
  const check = await audit.verify();
  out(`audit log verified: ${check.ok ? `ok, ${check.entries} entries chained` : `broken at #${check.firstBadSeq}: ${check.reason}`}`);
}

async function engineDemo(): Promise<void> {
  heading('engine: the simulator autoscaling a service through a load spike (virtual clock, every 15 s)');
  const start = Date.parse('2026-11-20T09:00:00Z');
  const clock = createManualClock(start);
  // 3 tasks serving 100 rps at 50 rps each (67 % CPU); demand quadruples from minute 2 to minute 14.
  const sim = createSimulatorCompute({ clock, seed: 7, services: [{ cluster: 'shop', name: 'checkout', desiredCount: 3, load: { baseRps: 100, amplitude: 0, noise: 0.03, rpsPerTask: 50 } }] });
  sim.world.injectIncident({ target: 'shop/checkout', metric: 'load', start: new Date(start + 2 * 60_000), end: new Date(start + 14 * 60_000), effect: { multiply: 4 } });
  const target = { provider: sim.containers, cluster: 'shop', service: 'checkout' };
  const autoscaler = createAutoscaler({ target, metric: 'cpu', targetValue: 65, minReplicas: 2, maxReplicas: 20, dryRun: false, clock });
  let holds = 0;
  for (let t = 15_000; t <= 25 * 60_000; t += 15_000) {
    await clock.advance(15_000);
    const decision = await autoscaler.evaluate();
    if (decision.decision === 'hold') holds++;
    else out(`+${String(Math.floor(t / 60_000)).padStart(2, '0')}:${String((t / 1000) % 60).padStart(2, '0')} ${decision.reasons.join('; ')}`);
  }
  const service = await sim.containers.getService({ cluster: 'shop', service: 'checkout' });
  out(`${holds} evaluations held (within tolerance, stabilizing or cooling down); now ${service.runningCount} tasks running`);
}

async function main(): Promise<void> {
  out('Almanac quick start (embedded defaults, nothing leaves this machine)');
  await httpDemo();
  validationDemo();
  secretsDemo();
  await new Promise((done) => setTimeout(done, 10));
  slotsDemo();
  churnDemo();
  infraDemo();
  await bookingsDemo();
  await storageDemo();
  await identityDemo();
  await engineDemo();
}

main().catch((error: unknown) => {
  process.stderr.write(`quickstart failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
