import type { ClassificationResult, FindingType } from '@almanac/oracle';
import type { SecurityFinding } from './types';

const SECRET_TYPES: ReadonlySet<FindingType> = new Set(['private_key', 'aws_access_key_id', 'aws_secret_access_key', 'jwt']);
const PAYMENT_TYPES: ReadonlySet<FindingType> = new Set(['credit_card', 'iban']);

/**
 * Object-level security findings. A credential in content hands over whatever it unlocks, so it
 * is `high`; payment data in clear text is `medium` (it needs protecting, not rotating); a key
 * named like a secrets file (`.env`, `id_rsa`) with no content evidence is `medium` because the
 * name alone is strong but unconfirmed. Messages name detector types and counts, never values.
 */
export function securityFindings(result: ClassificationResult, sampled: boolean): SecurityFinding[] {
  const out: SecurityFinding[] = [];
  const secrets = result.findings.filter((f) => SECRET_TYPES.has(f.type));
  if (secrets.length > 0) {
    const what = secrets.map((f) => `${f.count} ${f.type}`).join(', ');
    out.push({ rule: 'content.secret', severity: 'high', message: `Content holds credentials (${what}); rotate them and move them to a secret store.` });
  }
  const payment = result.findings.filter((f) => PAYMENT_TYPES.has(f.type));
  if (payment.length > 0) {
    const what = payment.map((f) => `${f.count} ${f.type}`).join(', ');
    out.push({ rule: 'content.payment_data', severity: 'medium', message: `Content holds payment data in clear text (${what}); tokenise or encrypt it.` });
  }
  if (secrets.length === 0 && result.classification === 'confidential') {
    const byName = result.sources.some((s) => s.decisive && s.source === 'key');
    if (byName) {
      out.push({
        rule: 'key.secret_file',
        severity: 'medium',
        message: sampled
          ? 'Object is named like a secrets file; keep secrets in a secret store, not in object storage.'
          : 'Object is named like a secrets file and its content was not scanned; review it.',
      });
    }
  }
  return out;
}
