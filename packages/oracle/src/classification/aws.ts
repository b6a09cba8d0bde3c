import { B64, charClass, DIGIT, isAlnumAt, LOWER, UPPER } from './chars';
import { maskAwsKeyId, maskSecret } from './mask';
import type { FindingSink } from './sink';

// AWS credentials. Access key ids are self-identifying (`AKIA` long-term, `ASIA` temporary, then
// 16 upper-case alphanumerics) so they are matched anywhere on word boundaries. Secret keys are
// 40 base64 characters with no prefix, indistinguishable from other random strings, so they are
// only matched right after an `aws_secret_access_key` / `SecretAccessKey` label.

const KEY_ID = /A[KS]IA[A-Z0-9]{16}/g;
const KEY_ID_LEN = 20;
const SECRET_LABELS = ['ecret_access_key', 'ECRET_ACCESS_KEY', 'ecretAccessKey'];
const SECRET_LEN = 40;
const MAX_GAP = 8; // `" = "`, `": "`, `=` between label and value

/** Records every AWS access key id in `text`. */
export function scanAwsAccessKeyIds(text: string, sink: FindingSink): void {
  KEY_ID.lastIndex = 0;
  while (KEY_ID.test(text)) {
    const end = KEY_ID.lastIndex;
    const start = end - KEY_ID_LEN;
    if (isAlnumAt(text, start - 1) || isAlnumAt(text, end)) {
      KEY_ID.lastIndex = start + 1;
      continue;
    }
    sink.add('aws_access_key_id', text, start, end, maskAwsKeyId);
  }
}

/** Whether a 40-character candidate mixes cases like a real key rather than a placeholder or word. */
function looksRandom(text: string, s: number): boolean {
  let classes = 0;
  for (let p = s; p < s + SECRET_LEN; p++) {
    const c = charClass(text, p);
    classes |= c & UPPER ? 1 : c & LOWER ? 2 : c & DIGIT ? 4 : 8;
  }
  return (classes & 3) === 3 && (classes & 12) !== 0;
}

/** Records AWS secret access keys that follow one of the labels. */
export function scanAwsSecretKeys(text: string, sink: FindingSink): void {
  for (const label of SECRET_LABELS) {
    for (let at = text.indexOf(label); at !== -1; at = text.indexOf(label, at + label.length)) {
      let p = at + label.length;
      const gapEnd = p + MAX_GAP;
      while (p < gapEnd) {
        const c = text.charCodeAt(p);
        if (c === 32 || c === 9 || c === 34 || c === 39 || c === 58 || c === 61 || c === 96 || c === 62) p++;
        else break;
      }
      const s = p;
      while (p - s <= SECRET_LEN && (charClass(text, p) & B64) !== 0) p++;
      if (p - s !== SECRET_LEN || text.charCodeAt(p) === 61 || !looksRandom(text, s)) continue;
      sink.add('aws_secret_access_key', text, s, p, maskSecret);
    }
  }
}
