import { OracleTypeError } from '../errors';
import { array, finiteNumber, object, oneOf } from '../validate';
import { CLASSIFICATION_PRECEDENCE } from './policy';
import type {
  Classification,
  ComplianceAssessment,
  ComplianceFinding,
  ComplianceInput,
  ComplianceSeverity,
  ComplianceStandard,
  ComplianceStatus,
} from './types';
import { optionalBoolean, optionalString } from './validate-input';

/** Standards {@link assessCompliance} knows. */
export const COMPLIANCE_STANDARDS: readonly ComplianceStandard[] = ['gdpr', 'hipaa', 'pci'];

// European regions of the major clouds: EU/EEA, plus the UK and Switzerland, which hold EU
// adequacy decisions (transfers there need no further mechanism). AWS `eu-*`, GCP `europe-*`,
// OCI `eu-*`, Azure country-named regions, and the `EU` multi-region.
const EUROPEAN_REGION =
  /^(?:eu|europe)(?:$|[-_])|^(?:west|north)europe$|^(?:france|germany|sweden|norway|italy|poland|spain|austria|belgium|denmark|finland|greece|ireland|switzerland|uk)(?:central|north|south|east|west|westcentral)$/;

/** Whether `region` is a European (EU/EEA or adequate) cloud region. */
export function isEuropeanRegion(region: string): boolean {
  if (typeof region !== 'string') return false;
  return EUROPEAN_REGION.test(region.trim().toLowerCase());
}

const OUTCOME_ORDER: readonly ComplianceStatus[] = ['non_compliant', 'review', 'compliant'];
const SEVERITY_ORDER: readonly ComplianceSeverity[] = ['critical', 'high', 'medium', 'low', 'info'];

interface Facts {
  readonly labels: ReadonlySet<Classification>;
  readonly encrypted: boolean;
  readonly retentionDays: number | undefined;
  readonly region: string | undefined;
  readonly publicAccess: boolean;
}

type Rule = (facts: Facts) => ComplianceFinding;

const finding = (rule: string, severity: ComplianceSeverity, outcome: ComplianceStatus, message: string): ComplianceFinding => ({
  rule,
  severity,
  outcome,
  message,
});

// GDPR: personal data (pii, and financial data, since cards and bank accounts belong to people).
const GDPR_RULES: readonly Rule[] = [
  (f) =>
    f.encrypted
      ? finding('GDPR-ART-32', 'info', 'compliant', 'Personal data is encrypted at rest (Art. 32 security of processing).')
      : finding('GDPR-ART-32', 'high', 'non_compliant', 'Personal data is stored unencrypted; Art. 32 requires appropriate security such as encryption at rest.'),
  (f) =>
    f.publicAccess
      ? finding('GDPR-ART-25', 'critical', 'non_compliant', 'Personal data is publicly readable; Art. 25(2) forbids making it accessible to an indefinite number of people by default.')
      : finding('GDPR-ART-25', 'info', 'compliant', 'Personal data is not publicly accessible (Art. 25 data protection by default).'),
  (f) =>
    f.retentionDays === undefined
      ? finding('GDPR-ART-5-1-E', 'medium', 'review', 'No retention policy; storage limitation requires deleting personal data once no longer needed: set one or document why not.')
      : finding('GDPR-ART-5-1-E', 'info', 'compliant', `Retention policy deletes the data after ${f.retentionDays} days (Art. 5(1)(e) storage limitation).`),
  (f) =>
    f.region === undefined
      ? finding('GDPR-ART-44', 'low', 'review', 'Storage region unknown; international transfer rules (Chapter V) cannot be checked.')
      : isEuropeanRegion(f.region)
        ? finding('GDPR-ART-44', 'info', 'compliant', `Region ${f.region} is in the EU/EEA or an adequate country.`)
        : finding('GDPR-ART-44', 'medium', 'review', `Region ${f.region} is outside the EU/EEA; confirm a Chapter V transfer mechanism (adequacy decision, standard contractual clauses).`),
];

// HIPAA Security Rule: the classifier cannot tell health data from other personal data, so all
// pii is treated as potential ePHI.
const HIPAA_RULES: readonly Rule[] = [
  (f) =>
    f.encrypted
      ? finding('HIPAA-164.312(a)(2)(iv)', 'info', 'compliant', 'Potential ePHI is encrypted at rest.')
      : finding('HIPAA-164.312(a)(2)(iv)', 'high', 'non_compliant', 'Potential ePHI is stored unencrypted; encrypt it at rest (45 CFR 164.312(a)(2)(iv)).'),
  (f) =>
    f.publicAccess
      ? finding('HIPAA-164.312(a)(1)', 'critical', 'non_compliant', 'Potential ePHI is publicly readable; access must be limited to authorised persons (45 CFR 164.312(a)(1)).')
      : finding('HIPAA-164.312(a)(1)', 'info', 'compliant', 'Potential ePHI is not publicly accessible.'),
];

// PCI DSS v4.0: financial data is treated as potential cardholder data.
const PCI_RULES: readonly Rule[] = [
  (f) =>
    f.encrypted
      ? finding('PCI-DSS-3.5.1', 'info', 'compliant', 'Cardholder data is encrypted at rest.')
      : finding('PCI-DSS-3.5.1', 'critical', 'non_compliant', 'Cardholder data is stored unencrypted; PAN must be rendered unreadable wherever it is stored (Req. 3.5.1).'),
  (f) =>
    f.publicAccess
      ? finding('PCI-DSS-1.4.4', 'critical', 'non_compliant', 'Cardholder data is publicly readable; storage holding it must not be reachable from untrusted networks (Req. 1.4.4).')
      : finding('PCI-DSS-1.4.4', 'info', 'compliant', 'Cardholder data is not publicly accessible.'),
  (f) =>
    f.retentionDays === undefined
      ? finding('PCI-DSS-3.2.1', 'medium', 'review', 'No retention policy; account data storage must be limited by retention and disposal policies (Req. 3.2.1).')
      : finding('PCI-DSS-3.2.1', 'info', 'compliant', `Retention policy deletes the data after ${f.retentionDays} days (Req. 3.2.1).`),
];

const STANDARDS: Readonly<Record<ComplianceStandard, { name: string; scope: readonly Classification[]; what: string; rules: readonly Rule[] }>> = {
  gdpr: { name: 'GDPR', scope: ['pii', 'financial'], what: 'personal data', rules: GDPR_RULES },
  hipaa: { name: 'HIPAA', scope: ['pii'], what: 'potential ePHI', rules: HIPAA_RULES },
  pci: { name: 'PCI DSS', scope: ['financial'], what: 'cardholder data', rules: PCI_RULES },
};

/**
 * Checks how an object is stored against one standard's rules for its classification.
 *
 * Scope: GDPR applies to `pii` and `financial` data, HIPAA to `pii` (treated as potential ePHI),
 * PCI DSS to `financial` (treated as potential cardholder data); `categories` widens the scope so
 * a `confidential` object that also holds personal data is still checked. Out-of-scope data is
 * `compliant` with one `SCOPE` info finding; `unclassified` data is `review` (classify it first).
 *
 * Rules (each finding names its rule; passing rules are listed as `info`):
 * - GDPR: unencrypted → non_compliant (`GDPR-ART-32`); public → non_compliant (`GDPR-ART-25`);
 *   no retention policy → review (`GDPR-ART-5-1-E`); region outside the EU/EEA/adequate Europe or
 *   unknown → review (`GDPR-ART-44`).
 * - HIPAA: unencrypted → non_compliant (`HIPAA-164.312(a)(2)(iv)`); public → non_compliant
 *   (`HIPAA-164.312(a)(1)`).
 * - PCI: unencrypted → non_compliant (`PCI-DSS-3.5.1`); public → non_compliant (`PCI-DSS-1.4.4`);
 *   no retention policy → review (`PCI-DSS-3.2.1`).
 *
 * Status: `non_compliant` if any finding is, else `review` if any finding is, else `compliant`.
 *
 * @throws {@link OracleTypeError} or `OracleRangeError` naming the bad field (e.g. `standard`).
 */
export function assessCompliance(input: ComplianceInput): ComplianceAssessment {
  const o = object('input', input);
  const standard = oneOf('standard', o['standard'], COMPLIANCE_STANDARDS);
  const classification = oneOf('classification', o['classification'], CLASSIFICATION_PRECEDENCE);
  const categories =
    o['categories'] === undefined
      ? []
      : array('categories', o['categories']).map((c, i) => oneOf(`categories[${i}]`, c, CLASSIFICATION_PRECEDENCE));
  if (typeof o['encrypted'] !== 'boolean') throw new OracleTypeError('encrypted', 'expected a boolean');
  const encrypted = o['encrypted'];
  let retentionDays: number | undefined;
  if (o['retentionPolicy'] !== undefined) {
    const policy = object('retentionPolicy', o['retentionPolicy']);
    retentionDays = finiteNumber('retentionPolicy.days', policy['days'], { min: 0 });
  }
  const region = optionalString('region', o['region']);
  const publicAccess = optionalBoolean('publicAccess', o['publicAccess']) ?? false;

  const spec = STANDARDS[standard];
  const labels = new Set<Classification>([classification, ...categories]);
  const inScope = spec.scope.some((c) => labels.has(c));
  let findings: ComplianceFinding[];
  if (inScope) {
    const facts: Facts = { labels, encrypted, retentionDays, region: region === '' ? undefined : region, publicAccess };
    findings = spec.rules.map((rule) => rule(facts));
  } else if (classification === 'unclassified' && labels.size === 1) {
    findings = [finding('CLASSIFICATION-UNKNOWN', 'medium', 'review', `Data is unclassified; classify it (e.g. classifyObject with a content sample) before assessing ${spec.name}.`)];
  } else {
    findings = [finding('SCOPE', 'info', 'compliant', `No ${spec.what} in the classification (${[...labels].join(', ')}); outside ${spec.name} scope.`)];
  }
  findings.sort(
    (a, b) => OUTCOME_ORDER.indexOf(a.outcome) - OUTCOME_ORDER.indexOf(b.outcome) || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  const status: ComplianceStatus = findings.some((f) => f.outcome === 'non_compliant')
    ? 'non_compliant'
    : findings.some((f) => f.outcome === 'review')
      ? 'review'
      : 'compliant';
  return { standard, status, inScope, findings };
}
