import { finiteNumber } from '../validate';
/** Mean Earth radius (IUGG R1), km: the sphere that best fits the ellipsoid on average. */
const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/**
 * `haversineKm`: great-circle distance in km between two points given in degrees. The
 * haversine form stays accurate for the short hops that dominate login streams, where the
 * spherical law of cosines loses precision; the spherical model errs by under 0.5 %, far below
 * IP-geolocation error. A helper of the login-risk model; inputs are not validated.
 *
 * @internal
 */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  // Cheap type checks only: a hostile argument must be an OracleTypeError, not NaN or a TypeError.
  for (const [name, value] of [['lat1', lat1], ['lon1', lon1], ['lat2', lat2], ['lon2', lon2]] as const) finiteNumber(name, value);
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s = Math.sin(dLat / 2);
  const t = Math.sin(dLon / 2);
  const a = s * s + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * t * t;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}
