// Benchmark of @almanac/oracle data classification: classifyContent throughput over 100 MB of
// seeded synthetic mixed text (prose, log lines with timestamps/IPs/UUIDs, customer records with
// e-mails, cards, phones, IBANs, SSNs, the odd secret, and near-misses: Luhn-failing numbers,
// dates, versions, order numbers, ISBNs, git SHAs). Text is generated as 100 documents of 1 MB,
// one at a time, so only one document is held. Baseline, measured on the same documents in the
// same run: a single `/\d/g` regex scan (the cheapest conceivable pass that looks at digits).
// Target: >= 50 MB/s. Called by bench/oracle-signals.bench.ts; standalone:
//   npx tsx -e "import('./bench/signals/classify.ts').then(m => m.run())"
import { classifyContent } from '../../packages/oracle/src/classification';
import { mulberry32 } from '../../packages/oracle/src/math';

const DOCS = 100;
const DOC_CHARS = 1 << 20;
const TARGET_MB_PER_S = 50;
const SEED = 20_260_101;

const WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her ' +
  'she there been one all we their has would when if so no will up more out who its them about into than time only could new ' +
  'quarterly report revenue customer account invoice shipment warehouse meeting agenda budget forecast contract renewal ' +
  'support ticket release deployment database migration policy review approval vendor payment schedule team project'
).split(' ');
const NAMES = ['jane', 'john', 'maria', 'wei', 'amir', 'olga', 'kenji', 'fatima', 'lucas', 'priya'];
const SURNAMES = ['doe', 'smith', 'garcia', 'chen', 'khan', 'ivanova', 'sato', 'okafor', 'silva', 'patel'];
const DOMAINS = ['example.com', 'example.org', 'mail.example.net', 'corp.example.co.uk'];

type Rnd = () => number;
const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const digits = (rnd: Rnd, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rnd() * 10);
  return s;
};

/** A Luhn-valid (or, with `valid = false`, Luhn-failing) 16-digit Visa number. */
function cardNumber(rnd: Rnd, valid: boolean): string {
  const body = '4' + digits(rnd, 14);
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let v = body.charCodeAt(14 - i) - 48;
    if (i % 2 === 0) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  const check = (10 - (sum % 10)) % 10;
  return body + (valid ? check : (check + 1 + Math.floor(rnd() * 9)) % 10);
}

const hex = (rnd: Rnd, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rnd() * 16)];
  return s;
};

function prose(rnd: Rnd): string {
  const n = 8 + Math.floor(rnd() * 14);
  let s = pick(rnd, WORDS);
  s = s[0]!.toUpperCase() + s.slice(1);
  for (let i = 1; i < n; i++) s += ' ' + pick(rnd, WORDS);
  if (rnd() < 0.15) s += ` in ${2000 + Math.floor(rnd() * 30)}`;
  if (rnd() < 0.1) s += `, about ${Math.floor(rnd() * 1000)} units`;
  return s + '.';
}

function logLine(rnd: Rnd): string {
  const ts = `2026-0${1 + Math.floor(rnd() * 9)}-1${Math.floor(rnd() * 10)}T${10 + Math.floor(rnd() * 14)}:${20 + Math.floor(rnd() * 40)}:${10 + Math.floor(rnd() * 50)}.${digits(rnd, 3)}Z`;
  const uuid = `${hex(rnd, 8)}-${hex(rnd, 4)}-4${hex(rnd, 3)}-a${hex(rnd, 3)}-${hex(rnd, 12)}`;
  const ip = `10.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`;
  const extra = rnd() < 0.2 ? ` commit=${hex(rnd, 40)} version=1.${Math.floor(rnd() * 20)}.${Math.floor(rnd() * 10)}` : '';
  return `${ts} INFO request_id=${uuid} client=${ip} path=/api/v1/orders/${digits(rnd, 6)} status=200 duration=${Math.floor(rnd() * 900)}ms${extra}`;
}

function record(rnd: Rnd): string {
  const first = pick(rnd, NAMES);
  const last = pick(rnd, SURNAMES);
  const card = cardNumber(rnd, rnd() < 0.7);
  const spaced = rnd() < 0.5 ? card.replace(/(\d{4})(?=\d)/g, '$1 ') : card;
  const phone = rnd() < 0.5 ? `(415) 555-${digits(rnd, 4)}` : `+44 20 7946 ${digits(rnd, 4)}`;
  const nearMiss = pick(rnd, [
    `order ORD-2026-${digits(rnd, 6)}`,
    `ISBN 978-3-16-${digits(rnd, 6)}-0`,
    `ref ${digits(rnd, 16)}`,
    `shipped 2026-05-06`,
    `total $${digits(rnd, 1)},${digits(rnd, 3)}.${digits(rnd, 2)}`,
  ]);
  return `Customer ${first} ${last}, email ${first}.${last}@${pick(rnd, DOMAINS)}, phone ${phone}, card ${spaced}, ${nearMiss}.`;
}

function secret(rnd: Rnd): string {
  return pick(rnd, [
    `aws_access_key_id = AKIA${digits(rnd, 4)}EXAMPLE${digits(rnd, 5)}`,
    'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'IBAN DE89 3704 0044 0532 0130 00 for the refund',
    `SSN ${100 + Math.floor(rnd() * 500)}-${10 + Math.floor(rnd() * 89)}-${1000 + Math.floor(rnd() * 8999)} on file`,
  ]);
}

/** One ~1 MB document: 70% prose, 20% log lines, 9.5% records, 0.5% secrets. */
function documentText(rnd: Rnd): string {
  const lines: string[] = [];
  let size = 0;
  while (size < DOC_CHARS) {
    const u = rnd();
    const line = u < 0.7 ? prose(rnd) : u < 0.9 ? logLine(rnd) : u < 0.995 ? record(rnd) : secret(rnd);
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n');
}

function baselineScan(text: string): number {
  const re = /\d/g;
  let n = 0;
  while (re.test(text)) n++;
  return n;
}

/** Prints throughput, ratio vs the baseline, finding totals and PASS/MISS for the 50 MB/s target. */
export async function run(): Promise<void> {
  console.log(`classify: classifyContent over ${DOCS} × 1 MB seeded mixed text (Node ${process.version})`);
  const rnd = mulberry32(SEED);
  const warm = documentText(mulberry32(SEED + 1));
  classifyContent(warm);
  baselineScan(warm);
  let chars = 0;
  let classifyMs = 0;
  let classifyCpuMs = 0;
  let baselineMs = 0;
  let digitCount = 0;
  const totals = new Map<string, number>();
  for (let d = 0; d < DOCS; d++) {
    const text = documentText(rnd);
    chars += text.length;
    let t0 = performance.now();
    digitCount += baselineScan(text);
    baselineMs += performance.now() - t0;
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result = classifyContent(text);
    classifyMs += performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    classifyCpuMs += (cpu.user + cpu.system) / 1000;
    for (const f of result.findings) totals.set(f.type, (totals.get(f.type) ?? 0) + f.count);
  }
  const mb = chars / 1e6;
  const rate = mb / (classifyMs / 1000);
  const baseRate = mb / (baselineMs / 1000);
  console.log(`  text: ${mb.toFixed(1)} MB (${digitCount.toLocaleString('en-US')} digits)`);
  console.log(`  baseline /\\d/g scan: ${baselineMs.toFixed(0)} ms (${baseRate.toFixed(0)} MB/s)`);
  console.log(`  classifyContent:     ${classifyMs.toFixed(0)} ms (${rate.toFixed(0)} MB/s), ${(classifyMs / baselineMs).toFixed(2)}x the baseline's time`);
  // CPU time is printed too: on a shared machine wall time includes waiting for a core.
  console.log(`  classifyContent CPU: ${classifyCpuMs.toFixed(0)} ms (${(mb / (classifyCpuMs / 1000)).toFixed(0)} MB/s of CPU time)`);
  console.log(`  findings: ${[...totals].map(([t, n]) => `${t}=${n}`).join(', ')}`);
  console.log(`${rate >= TARGET_MB_PER_S ? 'PASS' : 'MISS'} classifyContent throughput >= ${TARGET_MB_PER_S} MB/s (${rate.toFixed(0)} MB/s)`);
}
