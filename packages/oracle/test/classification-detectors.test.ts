import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyContent, FINDING_TYPES, type FindingType } from '../src/classification';
import { b64url, luhnBreak, luhnComplete, NEGATIVES, POSITIVES } from './fixtures/classification/corpus';

const countOf = (text: string, type: FindingType): number => classifyContent(text).findings.find((f) => f.type === type)?.count ?? 0;
const digitsOnly = (s: string) => s.replace(/\D/g, '');

describe('content detectors on the labelled corpora', () => {
  const tally = new Map<FindingType, { tp: number; fn: number; fp: number }>(FINDING_TYPES.map((t) => [t, { tp: 0, fn: 0, fp: 0 }]));
  const misses: string[] = [];
  const falseAlarms: string[] = [];
  for (const p of POSITIVES) {
    const result = classifyContent(p.text);
    for (const f of result.findings) {
      if (f.type === p.type) continue;
      tally.get(f.type)!.fp += f.count;
      falseAlarms.push(`${f.type} in positive ${p.type}: ${p.text}`);
    }
    const hit = result.findings.find((f) => f.type === p.type);
    if (hit?.count === 1) tally.get(p.type)!.tp++;
    else {
      tally.get(p.type)!.fn++;
      misses.push(`${p.type} (count ${hit?.count ?? 0}): ${p.text}`);
    }
  }
  for (const n of NEGATIVES) {
    for (const f of classifyContent(n.text).findings) {
      tally.get(f.type)!.fp += f.count;
      falseAlarms.push(`${f.type} in negative for ${n.near} (${n.why}): ${n.text}`);
    }
  }
  const rows = FINDING_TYPES.map((type) => {
    const { tp, fn, fp } = tally.get(type)!;
    const negatives = NEGATIVES.filter((n) => n.near === type).length;
    return { type, positives: tp + fn, nearMisses: negatives, tp, fn, fp, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
  });
  afterAll(() => {
    console.table(rows.map((r) => ({ ...r, precision: r.precision.toFixed(3), recall: r.recall.toFixed(3) })));
  });

  it('covers every detector with positives and near-miss negatives', () => {
    for (const r of rows) {
      expect(r.positives, r.type).toBeGreaterThanOrEqual(3);
      expect(r.nearMisses, r.type).toBeGreaterThanOrEqual(3);
    }
  });

  it('finds every planted value exactly once (recall 1.0)', () => {
    expect(misses).toEqual([]);
    for (const r of rows) expect(r.recall, r.type).toBe(1);
  });

  it('raises nothing on near-misses and nothing extra on positives (precision >= 0.99)', () => {
    expect(falseAlarms).toEqual([]);
    for (const r of rows) expect(r.precision, r.type).toBeGreaterThanOrEqual(0.99);
  });
});

describe('masking', () => {
  it('never puts a planted raw value (or its bare digits) anywhere in the result', () => {
    for (const p of POSITIVES) {
      const json = JSON.stringify(classifyContent(p.text, { maxSamples: 10 }));
      expect(json, p.raw).not.toContain(p.raw);
      const bare = digitsOnly(p.raw);
      if (bare.length >= 8 && ['credit_card', 'us_ssn', 'phone', 'iban'].includes(p.type)) expect(json, p.raw).not.toContain(bare);
    }
  });

  it('masks in the documented shapes', () => {
    const sample = (text: string, type: FindingType) => classifyContent(text).findings.find((f) => f.type === type)?.samples[0];
    expect(sample('card 4111 1111 1111 1111', 'credit_card')).toBe('**** **** **** 1111');
    expect(sample('card 4111111111111111', 'credit_card')).toBe('************1111');
    expect(sample('SSN 123-45-6789', 'us_ssn')).toBe('***-**-6789');
    expect(sample('mail jane.doe@example.com', 'email')).toBe('j***@example.com');
    expect(sample('AKIAIOSFODNN7EXAMPLE', 'aws_access_key_id')).toBe('AKIA************MPLE');
    expect(sample('IBAN DE89 3704 0044 0532 0130 00', 'iban')).toBe('DE** **** **** **** **30 00');
    expect(sample('call (415) 555-2671', 'phone')).toBe('(***) ***-**71');
    expect(sample('host 10.20.30.40', 'ipv4')).toBe('10.20.*.*');
    expect(sample('host 2001:db8::1', 'ipv6')).toBe('2001:***::*');
    expect(sample(POSITIVES.find((p) => p.type === 'private_key')!.text, 'private_key')).toBe('-----BEGIN RSA PRIVATE KEY-----****');
  });

  it('keeps at most maxSamples distinct samples per type but counts every occurrence', () => {
    const cards = ['4111111111111111', '5555555555554444', '4012888888881881', '378282246310005', '6011111111111117'];
    const text = [...cards, cards[0]].map((c) => `card ${c}`).join('\n');
    const f = classifyContent(text).findings.find((x) => x.type === 'credit_card')!;
    expect(f.count).toBe(6);
    expect(f.samples).toEqual(['************1111', '************4444', '************1881']);
    expect(classifyContent(text, { maxSamples: 0 }).findings[0]!.samples).toEqual([]);
    expect(classifyContent(text, { maxSamples: 10 }).findings[0]!.samples).toHaveLength(5);
  });

  it('keeps raw values out of a document holding every positive at once', () => {
    const doc = POSITIVES.map((p) => p.text).join('\n\n');
    const result = classifyContent(doc);
    const json = JSON.stringify(result);
    for (const p of POSITIVES) expect(json, p.raw).not.toContain(p.raw);
    for (const type of FINDING_TYPES) {
      const f = result.findings.find((x) => x.type === type)!;
      expect(f.count, type).toBe(POSITIVES.filter((p) => p.type === type).length);
      expect(f.samples.length).toBeLessThanOrEqual(3);
    }
  });
});

describe('detector properties', () => {
  const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
  const word = fc.constantFrom('the', 'invoice', 'paid', 'with', 'card', 'on', 'file', 'ok', '—', '(', ')', ',', 'ref:');
  const prose = fc.array(word, { maxLength: 6 }).map((w) => w.join(' '));

  it('finds any Luhn-valid Visa number in any printed layout, masked to its last four', () => {
    fc.assert(
      fc.property(digits(14), fc.constantFrom('', ' ', '-'), prose, prose, (body, sep, before, after) => {
        const n = luhnComplete(`4${body}`, 16);
        const printed = sep === '' ? n : n.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
        const result = classifyContent(`${before} ${printed} ${after}`);
        const card = result.findings.find((f) => f.type === 'credit_card');
        expect(card?.count).toBe(1);
        expect(card!.samples[0]!.endsWith(n.slice(-4))).toBe(true);
        expect(digitsOnly(card!.samples[0]!)).toBe(n.slice(-4));
        expect(JSON.stringify(result)).not.toContain(printed);
      }),
    );
  });

  it('never reports a 16-digit number failing Luhn as a card', () => {
    fc.assert(
      fc.property(digits(15), fc.constantFrom('', ' ', '-'), (body, sep) => {
        const n = luhnBreak(luhnComplete(body, 16));
        const printed = sep === '' ? n : n.replace(/(\d{4})(?=\d)/g, `$1${sep}`);
        expect(countOf(`number ${printed} here`, 'credit_card')).toBe(0);
      }),
    );
  });

  it('accepts exactly the SSNs the SSA rules allow', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9999 }), (area, group, serial) => {
        const ssn = `${String(area).padStart(3, '0')}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
        const valid = area !== 0 && area !== 666 && area < 900 && group !== 0 && serial !== 0;
        const result = classifyContent(`SSN ${ssn}`);
        const f = result.findings.find((x) => x.type === 'us_ssn');
        expect(f?.count ?? 0).toBe(valid ? 1 : 0);
        if (valid) expect(f!.samples[0]).toBe(`***-**-${ssn.slice(-4)}`);
      }),
    );
  });

  it('accepts IPv4 exactly when every octet is 0-255 without leading zeros', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 4, maxLength: 4 }), (octets) => {
        expect(countOf(`host ${octets.join('.')} up`, 'ipv4')).toBe(octets.every((o) => o <= 255) ? 1 : 0);
      }),
    );
  });

  it('finds any JWT whose header has an alg, and none whose header lacks it', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 10 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer()), fc.boolean(), (alg, payload, withAlg) => {
        const header = withAlg ? { alg, typ: 'JWT' } : { typ: 'JWT' };
        const token = `${b64url(header)}.${b64url(payload)}.${b64url('signature')}`;
        expect(countOf(`Bearer ${token}`, 'jwt')).toBe(withAlg ? 1 : 0);
      }),
    );
  });

  it('changing one IBAN character breaks the mod-97 check', () => {
    const iban = 'GB82WEST12345698765432';
    fc.assert(
      fc.property(fc.integer({ min: 4, max: iban.length - 1 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const c = iban.charCodeAt(pos);
        const changed = c >= 48 && c <= 57 ? String.fromCharCode(48 + ((c - 48 + delta) % 10)) : String.fromCharCode(65 + ((c - 65 + delta) % 26));
        expect(countOf(`IBAN ${iban.slice(0, pos)}${changed}${iban.slice(pos + 1)}`, 'iban')).toBe(0);
      }),
    );
  });

  it('is total and deterministic on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const a = classifyContent(text);
        expect(classifyContent(text)).toEqual(a);
        expect(a.confidence).toBeGreaterThanOrEqual(0);
        expect(a.confidence).toBeLessThan(1);
      }),
    );
  });

  it('stays linear on adversarial input (long runs of trigger characters)', () => {
    const runs = ['1'.repeat(200_000), '1 '.repeat(100_000), ':'.repeat(200_000), 'a:'.repeat(100_000), 'a@'.repeat(100_000), 'eyJ'.repeat(70_000), 'eyJa.'.repeat(40_000), '-----BEGIN '.repeat(20_000), 'AKIA'.repeat(50_000), 'DE89 '.repeat(40_000), 'aws_secret_access_key='.repeat(10_000)];
    // Each run is followed by one known positive of every type: the scan must get through the
    // run (a super-linear detector would not finish within the test timeout), find nothing in it,
    // and still find each positive exactly once after it.
    const types = [...new Set(POSITIVES.map((p) => p.type))];
    const tail = types.map((type) => POSITIVES.find((p) => p.type === type)?.text ?? '').join('\n\n');
    expect(types.length).toBeGreaterThanOrEqual(10);
    for (const run of runs) {
      const found = classifyContent(`${run}\n\n${tail}`).findings.map((f) => `${f.type}:${f.count}`);
      expect(found.sort(), run.slice(0, 12)).toEqual(types.map((type) => `${type}:1`).sort());
    }
  });
});
