// Masking keeps just enough of a value to recognise it in a report (last digits, issuer-neutral
// layout, domain) and never enough to reuse it. Every masker guarantees output !== input.

/** Replaces every digit except the last `keep` with `*`, preserving separators and layout. */
export function maskDigits(raw: string, keep: number): string {
  let digits = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  let out = '';
  let seen = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      seen++;
      out += seen > digits - keep ? raw[i] : '*';
    } else out += raw[i];
  }
  return out;
}

/** Card numbers keep the last 4 digits: `**** **** **** 1111`. */
export const maskCard = (raw: string): string => maskDigits(raw, 4);

/** SSNs keep the serial: `***-**-6789`. */
export const maskSsn = (raw: string): string => maskDigits(raw, 4);

/** Phone numbers keep the last 2 digits; fewer than cards because the rest identifies a person. */
export const maskPhone = (raw: string): string => maskDigits(raw, 2);

/** IBANs keep the country code and the last 4 characters: `DE** **** **** **** **30 00`. */
export function maskIban(raw: string): string {
  let alnum = 0;
  for (let i = 0; i < raw.length; i++) if (raw[i] !== ' ') alnum++;
  let out = '';
  let seen = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === ' ') {
      out += ' ';
      continue;
    }
    seen++;
    out += seen <= 2 || seen > alnum - 4 ? raw[i] : '*';
  }
  return out;
}

/** E-mail addresses keep the first character of the local part and the domain: `j***@example.com`. */
export function maskEmail(raw: string): string {
  const at = raw.lastIndexOf('@');
  return raw[0] + '***' + raw.slice(at);
}

/** IPv4 addresses keep the first two octets (the network, useful to triage): `10.20.*.*`. */
export function maskIpv4(raw: string): string {
  const first = raw.indexOf('.');
  const second = raw.indexOf('.', first + 1);
  return raw.slice(0, second) + '.*.*';
}

/** IPv6 addresses keep the first group and the layout: `2001:****::*`. */
export function maskIpv6(raw: string): string {
  const colon = raw.indexOf(':');
  let out = raw.slice(0, colon);
  for (let i = colon; i < raw.length; i++) {
    const ch = raw[i]!;
    out += ch === ':' || ch === '.' ? ch : '*';
  }
  return out === raw ? raw.replace(/[0-9A-Fa-f]/g, '*') : out;
}

/** AWS access key ids keep the kind prefix and last 4: `AKIA************MPLE`. */
export function maskAwsKeyId(raw: string): string {
  return raw.slice(0, 4) + '*'.repeat(raw.length - 8) + raw.slice(-4);
}

/** Secrets keep only their last 4 characters, as cloud consoles show them. */
export function maskSecret(raw: string): string {
  return '*'.repeat(raw.length - 4) + raw.slice(-4);
}

/** JWTs show only their shape; the header is harmless but the payload may hold personal data. */
export function maskJwt(_raw: string): string {
  return 'eyJ****.****.****';
}

/** PEM blocks keep the BEGIN line (it names the key type) and drop the body. */
export function maskPem(raw: string): string {
  const end = raw.indexOf('-----', 10);
  return raw.slice(0, end + 5) + '****';
}
