import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import { CLASSIFICATION_PRECEDENCE, type ClassificationResult, classifyContent, classifyObject } from '../src/classification';

const SSN = 'SSN 123-45-6789';
const CARD = 'card 4111 1111 1111 1111';
const AWS = 'key AKIAIOSFODNN7EXAMPLE';

function expectError(fn: () => unknown, type: typeof OracleRangeError | typeof OracleTypeError, field: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    expect((err as OracleRangeError | OracleTypeError).field).toBe(field);
    return;
  }
  throw new Error(`expected ${type.name} for ${field}`);
}

const decisive = (r: ClassificationResult) => r.sources.filter((s) => s.decisive).map((s) => s.source);

describe('classification precedence', () => {
  it('orders labels confidential > financial > pii > internal > public > unclassified', () => {
    expect(CLASSIFICATION_PRECEDENCE).toEqual(['confidential', 'financial', 'pii', 'internal', 'public', 'unclassified']);
  });

  it('takes the most restrictive label found in content and lists the rest as categories', () => {
    expect(classifyContent(SSN).classification).toBe('pii');
    expect(classifyContent('mail jane@example.com, call (415) 555-2671').classification).toBe('pii');
    expect(classifyContent(`${SSN}\n${CARD}`).classification).toBe('financial');
    expect(classifyContent('IBAN DE89 3704 0044 0532 0130 00').classification).toBe('financial');
    const all = classifyContent(`${SSN}\n${CARD}\n${AWS}\nhost 10.0.0.1`);
    expect(all.classification).toBe('confidential');
    expect(all.categories).toEqual(['confidential', 'financial', 'pii', 'internal']);
  });

  it('treats IP addresses as internal, not personal', () => {
    const r = classifyContent('upstream 10.1.2.3 and 2001:db8::1');
    expect(r.classification).toBe('internal');
    expect(r.findings.map((f) => f.type)).toEqual(['ipv4', 'ipv6']);
  });

  it('is unclassified when nothing is known, with confidence 0.5 after a clean scan and 0 without content', () => {
    const clean = classifyContent('The quarterly review is on Tuesday.');
    expect(clean).toMatchObject({ classification: 'unclassified', confidence: 0.5, findings: [], categories: ['unclassified'] });
    expect(clean.sources).toEqual([{ source: 'content', classification: 'unclassified', confidence: 0.5, reason: 'content scanned, nothing found', decisive: true }]);
    expect(classifyContent('')).toMatchObject({ classification: 'unclassified', confidence: 0, sources: [] });
    expect(classifyObject({ key: 'misc/notes.txt' })).toMatchObject({ classification: 'unclassified', confidence: 0 });
  });

  it('grows confidence with repeated and agreeing evidence, never reaching 1', () => {
    const one = classifyContent('call (415) 555-2671').confidence;
    const three = classifyContent('call (415) 555-2671, (415) 555-2672 or (415) 555-2673').confidence;
    expect(one).toBeCloseTo(0.7, 6);
    expect(three).toBeCloseTo(1 - 0.3 ** 3, 3);
    const withKey = classifyContent('call (415) 555-2671', { key: 'hr/contacts.txt' }).confidence;
    expect(withKey).toBeCloseTo(1 - 0.3 * 0.4, 3);
    expect(classifyContent(Array(50).fill(CARD).join('\n')).confidence).toBeLessThan(1);
  });
});

describe('declared metadata, key conventions and content type', () => {
  it('lets declared metadata raise the label', () => {
    const r = classifyContent('Lunch menu: soup.', { metadata: { 'x-amz-meta-classification': 'Confidential' } });
    expect(r.classification).toBe('confidential');
    expect(r.confidence).toBe(0.95);
    expect(decisive(r)).toEqual(['metadata']);
  });

  it('never lets a declaration lower what the content shows', () => {
    const r = classifyContent(SSN, { metadata: { classification: 'public' } });
    expect(r.classification).toBe('pii');
    expect(r.categories).toEqual(['pii', 'public']);
    expect(r.sources.find((s) => s.source === 'metadata')).toMatchObject({ classification: 'public', decisive: false });
  });

  it('is public only when declared', () => {
    expect(classifyObject({ key: 'public/logo.png' }).classification).toBe('unclassified');
    expect(classifyObject({ key: 'public/logo.png', metadata: { classification: 'public' } }).classification).toBe('public');
    expect(classifyObject({ key: 'brochure.pdf', metadata: { 'x-amz-meta-sensitivity': 'Public' } }).classification).toBe('public');
  });

  it('reads the common metadata spellings and tag strings, ignoring unknown values', () => {
    const label = (metadata: Record<string, string | string[]>) => classifyObject({ key: 'x/y.bin', metadata }).classification;
    expect(label({ 'x-amz-meta-classification': 'internal' })).toBe('internal');
    expect(label({ 'X-Goog-Meta-Sensitivity': 'PII' })).toBe('pii');
    expect(label({ 'x-ms-meta-data-classification': 'Highly Confidential' })).toBe('confidential');
    expect(label({ 'x-amz-tagging': 'owner=ops&classification=financial' })).toBe('financial');
    expect(label({ sensitivity: ['internal', 'restricted'] })).toBe('confidential');
    expect(label({ classification: 'purple' })).toBe('unclassified');
    expect(label({ owner: 'confidential' })).toBe('unclassified');
  });

  it.each([
    ['deploy/keys/id_rsa', 'confidential'],
    ['certs/server.pem', 'confidential'],
    ['certs/server.key', 'confidential'],
    ['vault/app.p12', 'confidential'],
    ['app/.env', 'confidential'],
    ['app/.env.production', 'confidential'],
    ['app/.env.example', 'unclassified'],
    ['home/.aws/credentials', 'confidential'],
    ['infra/terraform.tfstate', 'confidential'],
    ['backups/2026-01-01/db.sql.gz', 'confidential'],
    ['backups/orders.dump', 'confidential'],
    ['exports/schema.sql', 'unclassified'],
    ['invoices/2026/inv-0042.pdf', 'financial'],
    ['billing/statements/march.csv', 'financial'],
    ['payroll/2026-03.xlsx', 'financial'],
    ['hr/reviews/2026.docx', 'pii'],
    ['patients/scan-001.dcm', 'pii'],
    ['internal/roadmap.md', 'internal'],
    ['reports/q3.pdf', 'internal'],
    ['docs/readme.md', 'unclassified'],
    ['assets/logo.png', 'unclassified'],
  ])('key %s is %s', (key, expected) => {
    expect(classifyObject({ key }).classification).toBe(expected);
  });

  it('counts a business document type only when nothing else is known', () => {
    const pdf = 'application/pdf';
    expect(classifyObject({ key: 'a/b', contentType: pdf })).toMatchObject({ classification: 'internal', confidence: 0.4 });
    const declared = classifyObject({ key: 'a/b', contentType: pdf, metadata: { classification: 'public' } });
    expect(declared.classification).toBe('public');
    expect(declared.sources.find((s) => s.source === 'content_type')!.reason).toMatch(/overridden/);
    expect(classifyObject({ key: 'a/b', contentType: 'application/x-pem-file' }).classification).toBe('confidential');
    expect(classifyObject({ key: 'a/b', contentType: 'image/png' }).classification).toBe('unclassified');
  });

  it('marks payroll as both financial and personal', () => {
    expect(classifyObject({ key: 'payroll/2026-03.xlsx' }).categories).toEqual(['financial', 'pii']);
  });
});

describe('classifyObject evidence combination', () => {
  it('combines key, metadata and content, reporting which evidence decided', () => {
    const r = classifyObject({ key: 'hr/onboarding/jane.txt', metadata: { classification: 'internal' }, contentSample: `Name: Jane\n${SSN}` });
    expect(r.classification).toBe('pii');
    expect(decisive(r).sort()).toEqual(['content', 'key']);
    expect(r.confidence).toBeCloseTo(1 - 0.15 * 0.4, 3);
    expect(r.categories).toEqual(['pii', 'internal']);
    expect(r.sources[0]!.decisive).toBe(true);
    expect(r.sources.at(-1)!.decisive).toBe(false);
  });

  it('lets the strongest source win regardless of where it comes from', () => {
    expect(decisive(classifyObject({ key: 'hr/x.txt', contentSample: AWS }))).toEqual(['content']);
    expect(classifyObject({ key: 'hr/x.txt', contentSample: AWS }).classification).toBe('confidential');
    const byKey = classifyObject({ key: 'secrets/app/id_ed25519', contentSample: 'nothing here' });
    expect(byKey.classification).toBe('confidential');
    expect(decisive(byKey)).toEqual(['key', 'key']);
  });

  it('never echoes the key or raw values in reasons', () => {
    const key = 'hr/jane.doe@example.com/4111111111111111.txt';
    const json = JSON.stringify(classifyObject({ key, contentSample: CARD }));
    expect(json).not.toContain('jane.doe@example.com');
    expect(json).not.toContain('4111111111111111');
    expect(json).not.toContain('4111 1111 1111 1111');
  });

  it('gives the same result as classifyContent with the same evidence', () => {
    const options = { key: 'invoices/a.pdf', contentType: 'application/pdf', metadata: { sensitivity: 'internal' } };
    expect(classifyObject({ ...options, contentSample: SSN })).toEqual(classifyContent(SSN, options));
  });
});

describe('input validation', () => {
  it('rejects non-string text and malformed options, naming the field', () => {
    expectError(() => classifyContent(42 as unknown as string), OracleTypeError, 'text');
    expectError(() => classifyContent(null as unknown as string), OracleTypeError, 'text');
    expectError(() => classifyContent('x', null as never), OracleTypeError, 'options');
    expectError(() => classifyContent('x', { key: 5 as unknown as string }), OracleTypeError, 'options.key');
    expectError(() => classifyContent('x', { contentType: [] as unknown as string }), OracleTypeError, 'options.contentType');
    expectError(() => classifyContent('x', { maxSamples: -1 }), OracleRangeError, 'options.maxSamples');
    expectError(() => classifyContent('x', { maxSamples: 1.5 }), OracleRangeError, 'options.maxSamples');
    expectError(() => classifyContent('x', { maxSamples: '3' as unknown as number }), OracleTypeError, 'options.maxSamples');
    expectError(() => classifyContent('x', { metadata: 'confidential' as never }), OracleTypeError, 'options.metadata');
    expectError(() => classifyContent('x', { metadata: { classification: {} } as never }), OracleTypeError, 'options.metadata.classification');
  });

  it('rejects a bad object descriptor, naming the field', () => {
    expectError(() => classifyObject(undefined as never), OracleTypeError, 'input');
    expectError(() => classifyObject({} as never), OracleTypeError, 'key');
    expectError(() => classifyObject({ key: '' }), OracleRangeError, 'key');
    expectError(() => classifyObject({ key: 'a', contentSample: 5 as unknown as string }), OracleTypeError, 'contentSample');
    expectError(() => classifyObject({ key: 'a', metadata: [] as never }), OracleTypeError, 'metadata');
    expectError(() => classifyObject({ key: 'a', metadata: { tags: [1, 2] } as never }), OracleTypeError, 'metadata.tags');
  });

  it('accepts metadata values storage APIs return (numbers, booleans, null)', () => {
    expect(classifyObject({ key: 'a', metadata: { 'content-length': 12, versioned: true, etag: null, classification: 'internal' } }).classification).toBe('internal');
  });
});
