/**
 * `@almanac/oracle/classification`: data classification: validating detectors for secrets and personal data
 * in text, object classification, and GDPR/HIPAA/PCI compliance assessment.
 *
 * @packageDocumentation
 */
export { classifyContent, classifyObject } from './classify';
export { assessCompliance, COMPLIANCE_STANDARDS, isEuropeanRegion } from './compliance';
export {
  CLASSIFICATION_PRECEDENCE,
  DETECTOR_CLASSIFICATION,
  DETECTOR_STRENGTH,
  FINDING_TYPES,
} from './policy';
export { IBAN_LENGTHS } from './iban';
export type {
  Classification,
  ClassificationResult,
  ClassificationSource,
  ClassifyContentOptions,
  ComplianceAssessment,
  ComplianceFinding,
  ComplianceInput,
  ComplianceSeverity,
  ComplianceStandard,
  ComplianceStatus,
  ContentFinding,
  EvidenceSource,
  FindingType,
  ObjectDescriptor,
  ObjectMetadata,
} from './types';
