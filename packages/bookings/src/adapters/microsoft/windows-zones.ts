// Exchange reports zones by their Windows names (`Pacific Standard Time`) unless a
// `Prefer: outlook.timezone` header is honoured, and `originalStartTimeZone` is always
// whatever the organiser's client sent. This maps the Windows names to IANA following the
// CLDR `windowsZones.xml` "001" (territory-neutral) rows (the shared table in `time/`).
// Names outside the table that are already IANA pass through.
import { isValidTimeZone } from '@almanac/oracle/time';
import { windowsZoneToIana } from '../../time/windows-zones';

/**
 * The IANA zone for a zone name Graph returned: a Windows name from the table, or an IANA
 * name (Graph echoes those when the event was created with one). `undefined` when neither,
 * e.g. `Customized Time Zone`; callers then fall back to the zone of the returned instant.
 */
export function graphZoneToIana(zone: string | null | undefined): string | undefined {
  if (typeof zone !== 'string' || zone === '') return undefined;
  const mapped = windowsZoneToIana(zone);
  if (mapped !== undefined) return mapped;
  return isValidTimeZone(zone) ? zone : undefined;
}
