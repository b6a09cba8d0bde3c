import type { Classification, ObjectMetadata } from './types';

// Evidence outside the content: key/path naming conventions, declared metadata and the MIME type.
// Reasons name the rule that fired, never the key itself, because keys can embed personal data
// (`users/jane.doe@example.com/avatar.png`).

/** One piece of non-content evidence. `fallback` evidence applies only when nothing else is known. */
export interface ConventionEvidence {
  /** Label supported. */
  readonly classification: Classification;
  /** Strength, 0..1. */
  readonly confidence: number;
  /** Rule that fired. */
  readonly reason: string;
  /** True for defaults such as "office documents are internal", which never override other evidence. */
  readonly fallback: boolean;
}

const SSH_KEY_NAMES = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_ecdsa_sk', 'id_ed25519_sk', 'identity']);
const SECRET_FILE_NAMES = new Set([
  'credentials', 'credentials.json', 'credentials.csv', 'credentials.yml', 'credentials.yaml',
  '.npmrc', '.pypirc', '.netrc', '.pgpass', '.git-credentials', '.dockercfg', 'secrets.json',
  'secrets.yml', 'secrets.yaml', 'terraform.tfstate', 'service-account.json', 'htpasswd', '.htpasswd',
]);
const KEY_STORE_EXTENSIONS = new Set(['p12', 'pfx', 'jks', 'keystore', 'kdbx', 'ppk']);
const KEY_EXTENSIONS = new Set(['pem', 'key']);
const SECRET_SEGMENTS = new Set(['secrets', '.ssh', '.aws', '.gnupg', 'private-keys']);
const DECLARED_CONFIDENTIAL_SEGMENTS = new Set(['confidential', 'restricted']);
const DUMP_EXTENSIONS = new Set(['sql', 'dump', 'bak', 'sqlite', 'sqlite3', 'db']);
const BACKUP_SEGMENTS = new Set(['backup', 'backups', 'dump', 'dumps', 'db-backups', 'snapshots']);
const FINANCIAL_SEGMENTS = new Set([
  'invoices', 'invoice', 'billing', 'payments', 'transactions', 'statements', 'receipts',
  'finance', 'accounting', 'tax', 'taxes', 'payroll', 'salaries', 'cardholder',
]);
const PII_SEGMENTS = new Set([
  'hr', 'human-resources', 'employees', 'personnel', 'payroll', 'salaries', 'patients', 'medical',
  'health', 'candidates', 'applicants', 'resumes', 'kyc', 'passports', 'customers', 'customer-data',
]);
const INTERNAL_SEGMENTS = new Set(['internal', 'internal-only', 'corp', 'intranet']);
const COMPRESSION_EXTENSIONS = new Set(['gz', 'zst', 'bz2', 'xz', 'zip', '7z', 'tgz']);
const DOCUMENT_EXTENSIONS = new Set(['pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods', 'odp', 'rtf', 'csv', 'pages', 'numbers']);

/** First segment of `set` found among `segments`, or undefined. */
function firstIn(segments: readonly string[], set: ReadonlySet<string>): string | undefined {
  for (const s of segments) if (set.has(s)) return s;
  return undefined;
}

/** Evidence from an object key's directory names, file name and extension. */
export function keyEvidence(key: string): ConventionEvidence[] {
  const parts = key.toLowerCase().split(/[/\\]/).filter((p) => p.length > 0);
  const base = parts.pop() ?? '';
  const dirs = parts;
  const dot = base.lastIndexOf('.');
  let ext = dot > 0 ? base.slice(dot + 1) : '';
  if (COMPRESSION_EXTENSIONS.has(ext)) {
    const inner = base.slice(0, dot);
    const innerDot = inner.lastIndexOf('.');
    ext = innerDot > 0 ? inner.slice(innerDot + 1) : '';
  }
  const out: ConventionEvidence[] = [];
  const add = (classification: Classification, confidence: number, reason: string, fallback = false) =>
    out.push({ classification, confidence, reason, fallback });

  if (SSH_KEY_NAMES.has(base)) add('confidential', 0.9, 'key names an SSH private key file');
  if (KEY_STORE_EXTENSIONS.has(ext)) add('confidential', 0.85, `key has key-store extension .${ext}`);
  if (KEY_EXTENSIONS.has(ext)) add('confidential', 0.75, `key has key-material extension .${ext}`);
  if (base === '.env' || (base.startsWith('.env.') && !/\.(?:example|sample|template|dist)$/.test(base))) {
    add('confidential', 0.8, 'key names a .env file');
  }
  if (SECRET_FILE_NAMES.has(base)) add('confidential', 0.8, 'key names a credentials file');
  const secretDir = firstIn(dirs, SECRET_SEGMENTS);
  if (secretDir !== undefined) add('confidential', 0.7, `key under "${secretDir}/"`);
  const declaredDir = firstIn(dirs, DECLARED_CONFIDENTIAL_SEGMENTS);
  if (declaredDir !== undefined) add('confidential', 0.7, `key under "${declaredDir}/"`);
  const backupDir = firstIn(dirs, BACKUP_SEGMENTS);
  if (backupDir !== undefined && DUMP_EXTENSIONS.has(ext)) add('confidential', 0.75, `database dump (.${ext}) under "${backupDir}/"`);
  const financialDir = firstIn(dirs, FINANCIAL_SEGMENTS);
  if (financialDir !== undefined) add('financial', 0.6, `key under "${financialDir}/"`);
  const piiDir = firstIn(dirs, PII_SEGMENTS);
  if (piiDir !== undefined) add('pii', 0.6, `key under "${piiDir}/"`);
  const internalDir = firstIn(dirs, INTERNAL_SEGMENTS);
  if (internalDir !== undefined) add('internal', 0.6, `key under "${internalDir}/"`);
  if (DOCUMENT_EXTENSIONS.has(ext)) add('internal', 0.4, `business document extension .${ext}`, true);
  return out;
}

/** Evidence from a MIME type: key material is confidential; office documents default to internal. */
export function contentTypeEvidence(contentType: string): ConventionEvidence[] {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (/^application\/(?:x-pem-file|pkcs8|x-pkcs12|pkcs12|x-x509-user-cert)$/.test(type)) {
    return [{ classification: 'confidential', confidence: 0.8, reason: `content type ${type} holds key material`, fallback: false }];
  }
  if (
    type === 'application/pdf' ||
    type === 'application/msword' ||
    type === 'application/rtf' ||
    type === 'text/csv' ||
    type.startsWith('application/vnd.openxmlformats-officedocument.') ||
    type.startsWith('application/vnd.ms-excel') ||
    type.startsWith('application/vnd.ms-powerpoint') ||
    type.startsWith('application/vnd.oasis.opendocument.')
  ) {
    return [{ classification: 'internal', confidence: 0.4, reason: `business document type ${type}`, fallback: true }];
  }
  return [];
}

const METADATA_PREFIXES = ['x-amz-meta-', 'x-goog-meta-', 'x-ms-meta-', 'x-oss-meta-', 'x-object-meta-'];
const LABEL_NAMES = new Set([
  'classification', 'data-classification', 'data_classification', 'dataclassification',
  'sensitivity', 'data-sensitivity', 'data_sensitivity', 'confidentiality',
]);
const DECLARED: Readonly<Record<string, Classification>> = {
  public: 'public', unrestricted: 'public', open: 'public',
  internal: 'internal', 'internal-only': 'internal', internal_only: 'internal', general: 'internal', private: 'internal',
  pii: 'pii', personal: 'pii', 'personal-data': 'pii', personal_data: 'pii', phi: 'pii', gdpr: 'pii', sensitive: 'confidential',
  financial: 'financial', pci: 'financial', cardholder: 'financial', 'cardholder-data': 'financial',
  confidential: 'confidential', 'highly-confidential': 'confidential', highly_confidential: 'confidential',
  'strictly-confidential': 'confidential', restricted: 'confidential', secret: 'confidential', 'top-secret': 'confidential',
};

/** Maps a declared label value (`Confidential`, `highly confidential`, `PII`) to a classification. */
export function declaredClassification(value: string): Classification | undefined {
  const v = value.trim().toLowerCase().replace(/\s+/g, '-');
  return Object.hasOwn(DECLARED, v) ? DECLARED[v] : undefined;
}

/** Label names in `x-amz-tagging`-style `classification=confidential&owner=x` strings. */
function taggingEvidence(header: string, value: string, out: ConventionEvidence[]): void {
  for (const pair of value.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    let name: string;
    let tagValue: string;
    try {
      name = decodeURIComponent(pair.slice(0, eq)).trim().toLowerCase();
      tagValue = decodeURIComponent(pair.slice(eq + 1));
    } catch {
      continue; // malformed percent-encoding: not a tag we can read
    }
    const label = LABEL_NAMES.has(name) ? declaredClassification(tagValue) : undefined;
    if (label !== undefined) out.push({ classification: label, confidence: 0.95, reason: `tag ${name} in ${header} declares ${label}`, fallback: false });
  }
}

/** Evidence from declared metadata: explicit labels are strong evidence, unknown values are ignored. */
export function metadataEvidence(metadata: ObjectMetadata): ConventionEvidence[] {
  const out: ConventionEvidence[] = [];
  for (const [rawName, rawValue] of Object.entries(metadata)) {
    const header = rawName.trim().toLowerCase();
    const values = typeof rawValue === 'string' ? [rawValue] : Array.isArray(rawValue) ? (rawValue as readonly string[]) : [];
    if (header === 'x-amz-tagging' || header === 'tagging' || header === 'tags') {
      for (const v of values) taggingEvidence(header, v, out);
      continue;
    }
    let name = header;
    for (const prefix of METADATA_PREFIXES) if (name.startsWith(prefix)) name = name.slice(prefix.length);
    if (!LABEL_NAMES.has(name)) continue;
    for (const v of values) {
      const label = declaredClassification(v);
      if (label !== undefined) out.push({ classification: label, confidence: 0.95, reason: `metadata ${header} declares ${label}`, fallback: false });
    }
  }
  return out;
}
