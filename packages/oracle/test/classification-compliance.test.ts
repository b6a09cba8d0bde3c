import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OracleRangeError, OracleTypeError } from '../src/errors';
import {
  assessCompliance,
  CLASSIFICATION_PRECEDENCE,
  COMPLIANCE_STANDARDS,
  type ComplianceInput,
  classifyObject,
  isEuropeanRegion,
} from '../src/classification';

const SAFE = { encrypted: true, publicAccess: false, retentionPolicy: { days: 365 }, region: 'eu-west-1' } as const;
const rules = (input: ComplianceInput) =>
  assessCompliance(input)
    .findings.filter((f) => f.outcome !== 'compliant')
    .map((f) => `${f.rule}:${f.outcome}`);

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

describe('assessCompliance: PCI DSS', () => {
  it('requires financial data to be encrypted and not public', () => {
    expect(assessCompliance({ ...SAFE, classification: 'financial', standard: 'pci' }).status).toBe('compliant');
    expect(rules({ ...SAFE, classification: 'financial', standard: 'pci', encrypted: false })).toEqual(['PCI-DSS-3.5.1:non_compliant']);
    expect(rules({ ...SAFE, classification: 'financial', standard: 'pci', publicAccess: true })).toEqual(['PCI-DSS-1.4.4:non_compliant']);
    const r = assessCompliance({ ...SAFE, classification: 'financial', standard: 'pci', encrypted: false, publicAccess: true });
    expect(r.status).toBe('non_compliant');
    expect(r.findings.map((f) => f.severity)).toEqual(['critical', 'critical', 'info']);
  });

  it('asks for review without a retention policy', () => {
    const r = assessCompliance({ classification: 'financial', standard: 'pci', encrypted: true });
    expect(r.status).toBe('review');
    expect(r.findings[0]).toMatchObject({ rule: 'PCI-DSS-3.2.1', severity: 'medium', outcome: 'review' });
  });

  it('leaves non-financial data out of scope', () => {
    const r = assessCompliance({ classification: 'pii', standard: 'pci', encrypted: false, publicAccess: true });
    expect(r).toMatchObject({ status: 'compliant', inScope: false });
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'SCOPE', severity: 'info' })]);
  });
});

describe('assessCompliance: GDPR', () => {
  it('passes encrypted, private, retained personal data in an EU region', () => {
    const r = assessCompliance({ ...SAFE, classification: 'pii', standard: 'gdpr' });
    expect(r).toMatchObject({ status: 'compliant', inScope: true });
    expect(r.findings.map((f) => f.rule).sort()).toEqual(['GDPR-ART-25', 'GDPR-ART-32', 'GDPR-ART-44', 'GDPR-ART-5-1-E']);
  });

  it('fails unencrypted or public personal data', () => {
    expect(rules({ ...SAFE, classification: 'pii', standard: 'gdpr', encrypted: false })).toEqual(['GDPR-ART-32:non_compliant']);
    expect(rules({ ...SAFE, classification: 'pii', standard: 'gdpr', publicAccess: true })).toEqual(['GDPR-ART-25:non_compliant']);
  });

  it('asks for review outside the EU, with an unknown region, or without retention', () => {
    expect(rules({ ...SAFE, classification: 'pii', standard: 'gdpr', region: 'us-east-1' })).toEqual(['GDPR-ART-44:review']);
    const { region: _region, ...noRegion } = SAFE;
    expect(rules({ ...noRegion, classification: 'pii', standard: 'gdpr' })).toEqual(['GDPR-ART-44:review']);
    const { retentionPolicy: _retention, ...noRetention } = SAFE;
    expect(assessCompliance({ ...noRetention, classification: 'pii', standard: 'gdpr' })).toMatchObject({
      status: 'review',
      findings: [expect.objectContaining({ rule: 'GDPR-ART-5-1-E', outcome: 'review' }), expect.anything(), expect.anything(), expect.anything()],
    });
  });

  it('covers financial data, and confidential data whose categories include personal data', () => {
    expect(assessCompliance({ ...SAFE, classification: 'financial', standard: 'gdpr', encrypted: false }).status).toBe('non_compliant');
    expect(assessCompliance({ ...SAFE, classification: 'confidential', standard: 'gdpr', encrypted: false }).inScope).toBe(false);
    const r = assessCompliance({ ...SAFE, classification: 'confidential', categories: ['confidential', 'pii'], standard: 'gdpr', encrypted: false });
    expect(r).toMatchObject({ status: 'non_compliant', inScope: true });
  });

  it.each([
    ['eu-west-1', true], ['eu-central-2', true], ['europe-west4', true], ['EU', true], ['westeurope', true], ['germanywestcentral', true],
    ['uksouth', true], ['switzerlandnorth', true], ['us-east-1', false], ['asia-east1', false], ['eastus', false], ['southafricanorth', false],
    ['europa', false], ['useu-1', false],
  ])('region %s is European: %s', (region, expected) => {
    expect(isEuropeanRegion(region)).toBe(expected);
  });
});

describe('assessCompliance: HIPAA', () => {
  it('requires potential ePHI to be encrypted and not public, with no residency or retention rule', () => {
    expect(assessCompliance({ classification: 'pii', standard: 'hipaa', encrypted: true, region: 'us-east-1' }).status).toBe('compliant');
    expect(rules({ classification: 'pii', standard: 'hipaa', encrypted: false })).toEqual(['HIPAA-164.312(a)(2)(iv):non_compliant']);
    expect(rules({ classification: 'pii', standard: 'hipaa', encrypted: true, publicAccess: true })).toEqual(['HIPAA-164.312(a)(1):non_compliant']);
    expect(assessCompliance({ classification: 'financial', standard: 'hipaa', encrypted: false }).inScope).toBe(false);
  });
});

describe('assessCompliance: shared behaviour', () => {
  it('asks to classify unclassified data first, under every standard', () => {
    for (const standard of COMPLIANCE_STANDARDS) {
      const r = assessCompliance({ classification: 'unclassified', standard, encrypted: true });
      expect(r).toMatchObject({ status: 'review', inScope: false, findings: [expect.objectContaining({ rule: 'CLASSIFICATION-UNKNOWN' })] });
    }
  });

  it('derives the status from the findings and lists the worst first', () => {
    const input = fc.record({
      classification: fc.constantFrom(...CLASSIFICATION_PRECEDENCE),
      categories: fc.option(fc.subarray([...CLASSIFICATION_PRECEDENCE]), { nil: undefined }),
      encrypted: fc.boolean(),
      publicAccess: fc.option(fc.boolean(), { nil: undefined }),
      region: fc.option(fc.constantFrom('eu-west-1', 'us-east-1', 'europe-west1', 'ap-south-1'), { nil: undefined }),
      retentionPolicy: fc.option(fc.record({ days: fc.integer({ min: 0, max: 3650 }) }), { nil: undefined }),
      standard: fc.constantFrom(...COMPLIANCE_STANDARDS),
    });
    const outcomeRank = { non_compliant: 0, review: 1, compliant: 2 } as const;
    fc.assert(
      fc.property(input, (i) => {
        const r = assessCompliance(i);
        const outcomes = r.findings.map((f) => f.outcome);
        const expected = outcomes.includes('non_compliant') ? 'non_compliant' : outcomes.includes('review') ? 'review' : 'compliant';
        expect(r.status).toBe(expected);
        expect(r.findings.length).toBeGreaterThan(0);
        for (const f of r.findings) {
          expect(f.rule).toMatch(/^[A-Z]/);
          expect(f.message.length).toBeGreaterThan(10);
          expect(f.outcome === 'compliant').toBe(f.severity === 'info');
        }
        const ranks = outcomes.map((o) => outcomeRank[o]);
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        // Worse storage never improves the verdict.
        const worse = assessCompliance({ ...i, encrypted: false, publicAccess: true });
        expect(outcomeRank[worse.status]).toBeLessThanOrEqual(outcomeRank[r.status]);
      }),
    );
  });

  it('chains with classifyObject through categories', () => {
    const c = classifyObject({ key: 'exports/users.csv', contentSample: 'jane@example.com,AKIAIOSFODNN7EXAMPLE' });
    expect(c.classification).toBe('confidential');
    const r = assessCompliance({ classification: c.classification, categories: c.categories, standard: 'gdpr', encrypted: false, region: 'eu-west-1' });
    expect(r.status).toBe('non_compliant');
  });

  it('rejects bad input, naming the field', () => {
    const ok: ComplianceInput = { classification: 'pii', standard: 'gdpr', encrypted: true };
    expectError(() => assessCompliance(null as never), OracleTypeError, 'input');
    expectError(() => assessCompliance({ ...ok, standard: 'sox' as never }), OracleTypeError, 'standard');
    expectError(() => assessCompliance({ ...ok, classification: 'secret' as never }), OracleTypeError, 'classification');
    expectError(() => assessCompliance({ ...ok, encrypted: undefined as never }), OracleTypeError, 'encrypted');
    expectError(() => assessCompliance({ ...ok, encrypted: 'yes' as never }), OracleTypeError, 'encrypted');
    expectError(() => assessCompliance({ ...ok, retentionPolicy: { days: -1 } }), OracleRangeError, 'retentionPolicy.days');
    expectError(() => assessCompliance({ ...ok, retentionPolicy: { days: Number.NaN } }), OracleRangeError, 'retentionPolicy.days');
    expectError(() => assessCompliance({ ...ok, retentionPolicy: 30 as never }), OracleTypeError, 'retentionPolicy');
    expectError(() => assessCompliance({ ...ok, region: 5 as never }), OracleTypeError, 'region');
    expectError(() => assessCompliance({ ...ok, publicAccess: 'no' as never }), OracleTypeError, 'publicAccess');
    expectError(() => assessCompliance({ ...ok, categories: ['pii', 'x'] as never }), OracleTypeError, 'categories[1]');
  });
});
