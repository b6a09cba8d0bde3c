// Every Windows zone id resolves to a valid IANA zone, after CLDR's windowsZones.xml
// (https://github.com/unicode-org/cldr/blob/main/common/supplemental/windowsZones.xml), which
// Microsoft Graph's `originalStartTimeZone` and getSchedule's item zones are written in
// (https://learn.microsoft.com/en-us/graph/api/resources/datetimetimezone).
import { createRequire } from 'node:module';
import { isValidTimeZone } from '@almanac/oracle/time';
import { useStrictNock } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { createMicrosoftCalendarProvider, graphZoneToIana } from '../src/adapters/microsoft';
import { GRAPH, USER, USER_ID, graphEvent } from './fixtures/microsoft/responses';
import { WINDOWS_ZONES } from '../src/adapters/ics';
import { WINDOWS_ZONES_CLDR_VERSION } from '../src/time/windows-zones';

const require = createRequire(import.meta.url);
interface MapZone {
  readonly _other: string;
  readonly _type: string;
  readonly _territory: string;
}
const cldr = require('cldr-core/supplemental/windowsZones.json') as {
  supplemental: { version: { _cldrVersion: string }; windowsZones: { mapTimezones: Array<{ mapZone: MapZone }> } };
};
const cldrNames = [...new Set(cldr.supplemental.windowsZones.mapTimezones.map((entry) => entry.mapZone._other))];

useStrictNock();

describe('Windows zone names (CLDR windowsZones)', () => {
  it('is generated from the installed CLDR release (regenerate with scripts/generate-windows-zones.mjs)', () => {
    expect(WINDOWS_ZONES_CLDR_VERSION).toBe(cldr.supplemental.version._cldrVersion);
  });

  it('maps every Windows zone CLDR knows to a valid IANA zone', () => {
    expect(cldrNames.length).toBeGreaterThan(130);
    const bad = cldrNames.filter((name) => {
      const iana = graphZoneToIana(name);
      return iana === undefined || !isValidTimeZone(iana);
    });
    expect(bad).toEqual([]);
    for (const name of cldrNames) expect(Object.hasOwn(WINDOWS_ZONES, name)).toBe(true);
  });

  it('includes the territory-001 zones the hand-written table lacked', () => {
    expect(graphZoneToIana('Haiti Standard Time')).toBe('America/Port-au-Prince');
    expect(graphZoneToIana('Turks And Caicos Standard Time')).toBe('America/Grand_Turk');
    expect(graphZoneToIana('Bahia Standard Time')).toBe('America/Bahia');
    expect(graphZoneToIana('Magallanes Standard Time')).toBe('America/Punta_Arenas');
    expect(graphZoneToIana('Saint Pierre Standard Time')).toBe('America/Miquelon');
    expect(graphZoneToIana('Easter Island Standard Time')).toBe('Pacific/Easter');
    expect(graphZoneToIana('Marquesas Standard Time')).toBe('Pacific/Marquesas');
    expect(graphZoneToIana('Tocantins Standard Time')).toBe('America/Araguaina');
    expect(graphZoneToIana('UTC-08')).toBe('Etc/GMT+8');
    expect(graphZoneToIana('UTC-09')).toBe('Etc/GMT+9');
  });

  it('writes current IANA names where CLDR keeps legacy ids, and keeps Graph names for UTC', () => {
    expect(graphZoneToIana('India Standard Time')).toBe('Asia/Kolkata');
    expect(graphZoneToIana('FLE Standard Time')).toBe('Europe/Kyiv');
    expect(graphZoneToIana('tzone://Microsoft/Utc')).toBe('UTC');
    expect(graphZoneToIana('Customized Time Zone')).toBeUndefined();
  });

  it('keeps a Graph event organised in Haiti in its own zone (wire level: originalStartTimeZone)', async () => {
    nock(GRAPH)
      .get(`${USER}/calendar/calendarView`)
      .query(true)
      .reply(200, {
        value: [
          graphEvent({
            id: 'HT1',
            originalStartTimeZone: 'Haiti Standard Time',
            originalEndTimeZone: 'Haiti Standard Time',
            start: { dateTime: '2026-03-09T14:00:00.0000000', timeZone: 'UTC' },
            end: { dateTime: '2026-03-09T15:00:00.0000000', timeZone: 'UTC' },
          }),
        ],
      });
    const provider = createMicrosoftCalendarProvider({ getAccessToken: async () => 'test-access-token', userId: USER_ID, retry: { maxAttempts: 1 } });
    const page = await provider.listEventsPage({ calendarId: 'primary', range: { start: new Date('2026-03-09T00:00:00Z'), end: new Date('2026-03-10T00:00:00Z') } });
    expect(page.items[0]?.start).toEqual({ dateTime: new Date('2026-03-09T14:00:00Z'), timeZone: 'America/Port-au-Prince' });
  });
});
