// Windows time zone ids, as Exchange, Outlook and Microsoft Graph write them
// (`Pacific Standard Time`), mapped to IANA zones. The table is generated from CLDR's
// `windowsZones` data ("001" rows, see `windows-zones-cldr.ts` and
// `scripts/generate-windows-zones.mjs`) rather than kept by hand: Microsoft adds zones
// (Yukon, Qyzylorda…) and moves existing ones (Central Asia → Bishkek after Kazakhstan's 2024
// change), and CLDR follows them. Shared by the ICS and Microsoft adapters.
import { CLDR_WINDOWS_ZONES, WINDOWS_ZONES_CLDR_VERSION } from './windows-zones-cldr';

export { WINDOWS_ZONES_CLDR_VERSION };

/**
 * Names Graph and Outlook write for UTC that are not Windows registry ids, so CLDR does not
 * list them.
 */
const GRAPH_UTC_NAMES: Readonly<Record<string, string>> = {
  'Coordinated Universal Time': 'UTC',
  'tzone://Microsoft/Utc': 'UTC',
};

/** Windows zone id → IANA zone: every Windows zone of CLDR, plus Graph's own names for UTC. */
export const WINDOWS_ZONES: Readonly<Record<string, string>> = Object.freeze({ ...CLDR_WINDOWS_ZONES, ...GRAPH_UTC_NAMES });

/** The IANA zone of a Windows zone id, or `undefined` when the id is not in {@link WINDOWS_ZONES}. */
export function windowsZoneToIana(name: string): string | undefined {
  return Object.hasOwn(WINDOWS_ZONES, name) ? WINDOWS_ZONES[name] : undefined;
}
