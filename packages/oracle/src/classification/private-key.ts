import { maskPem } from './mask';
import type { FindingSink } from './sink';

// PEM private keys: `-----BEGIN <TYPE> PRIVATE KEY-----` for PKCS#1/#8, EC, DSA, OpenSSH,
// encrypted PKCS#8, and `-----BEGIN PGP PRIVATE KEY BLOCK-----`. Certificates and public keys
// use the same armour and are not secrets, so the label is checked, not just the dashes.

const BEGIN = '-----BEGIN ';
const LABEL = /^(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?$/;
const MAX_LABEL = 48;

/** Records every PEM private-key block header in `text`. */
export function scanPrivateKeys(text: string, sink: FindingSink): void {
  for (let at = text.indexOf(BEGIN); at !== -1; at = text.indexOf(BEGIN, at + BEGIN.length)) {
    const labelStart = at + BEGIN.length;
    const close = text.indexOf('-----', labelStart);
    if (close === -1) return;
    if (close - labelStart > MAX_LABEL || !LABEL.test(text.slice(labelStart, close))) continue;
    sink.add('private_key', text, at, close + 5, maskPem);
  }
}
