import { type DigitGroups, digitsValue, endsOnBoundary, groupEnd } from './digit-groups';

// Dotted-quad IPv4: four octets 0-255 without leading zeros (`010` is octal to some parsers and
// rarely an address). A fifth dotted group makes it a version or OID, not an address; a
// four-part version number such as `1.2.3.4` is indistinguishable from an address and is reported.

/** IPv4 address made of the first four groups of `g`; returns the index just past it, or -1. */
export function matchIpv4(text: string, g: DigitGroups): number {
  if (g.count < 4) return -1;
  for (let j = 0; j < 4; j++) {
    const len = g.len[j]!;
    if (len > 3) return -1;
    if (j < 3 && g.sep[j] !== 46) return -1;
    if (len > 1 && text.charCodeAt(g.start[j]!) === 48) return -1;
    if (digitsValue(text, g.start[j]!, len) > 255) return -1;
  }
  if (g.count > 4 && g.sep[3] === 46) return -1;
  return endsOnBoundary(text, g, 4) ? groupEnd(g, 3) : -1;
}
