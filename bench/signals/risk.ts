// Benchmark of @almanac/oracle login risk: the stream path (one profile per user,
// assessAndRecordLogin per event) over 1,000,000 seeded synthetic logins by 10,000 users,
// against a baseline loop that only computes one haversine per event over the same events.
// Called by bench/oracle-signals.bench.ts; standalone:
//   npx tsx -e "import('./bench/signals/risk.ts').then(m => m.run())"
import { mulberry32, normalSampler } from '../../packages/oracle/src/math';
import {
  assessAndRecordLogin,
  createLoginProfile,
  haversineKm,
  type LoginEvent,
  type LoginProfile,
} from '../../packages/oracle/src/risk';

const USERS = 10_000;
const DAYS = 100;
const TARGET_MS = 2000;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// Standard (winter) offsets: the generator ignores DST, so summer logins drift by an hour in
// local time, as real habits partly do.
const CITIES = [
  { country: 'US', zone: 'America/New_York', lat: 40.7128, lon: -74.006, offset: -5 },
  { country: 'US', zone: 'America/Los_Angeles', lat: 34.0522, lon: -118.2437, offset: -8 },
  { country: 'CA', zone: 'America/Toronto', lat: 43.6532, lon: -79.3832, offset: -5 },
  { country: 'BR', zone: 'America/Sao_Paulo', lat: -23.5505, lon: -46.6333, offset: -3 },
  { country: 'GB', zone: 'Europe/London', lat: 51.5074, lon: -0.1278, offset: 0 },
  { country: 'FR', zone: 'Europe/Paris', lat: 48.8566, lon: 2.3522, offset: 1 },
  { country: 'DE', zone: 'Europe/Berlin', lat: 52.52, lon: 13.405, offset: 1 },
  { country: 'ZA', zone: 'Africa/Johannesburg', lat: -26.2041, lon: 28.0473, offset: 2 },
  { country: 'IN', zone: 'Asia/Kolkata', lat: 19.076, lon: 72.8777, offset: 5.5 },
  { country: 'SG', zone: 'Asia/Singapore', lat: 1.3521, lon: 103.8198, offset: 8 },
  { country: 'JP', zone: 'Asia/Tokyo', lat: 35.6762, lon: 139.6503, offset: 9 },
  { country: 'AU', zone: 'Australia/Sydney', lat: -33.8688, lon: 151.2093, offset: 10 },
] as const;

interface Synthetic {
  readonly users: Int32Array;
  readonly events: LoginEvent[];
  readonly zones: string[];
}

/**
 * One login per user per day on average, around a personal local hour (σ 1 h), from home
 * with one of the user's two devices; 1 % of logins come from a random city, 0.5 % from a
 * new device, 0.5 % at a random hour, and 0.1 % start a burst of four more logins a minute
 * apart. Days are generated in turn and sorted within, so each user's logins are in order.
 */
function synthesize(seed: number): Synthetic {
  const uniform = mulberry32(seed);
  const normal = normalSampler(uniform);
  const home = new Int32Array(USERS);
  const habit = new Float64Array(USERS);
  const zones: string[] = new Array(USERS);
  for (let u = 0; u < USERS; u++) {
    home[u] = Math.floor(uniform() * CITIES.length);
    habit[u] = 6 + uniform() * 16;
    zones[u] = CITIES[home[u] as number]!.zone;
  }
  const start = Date.UTC(2024, 0, 1);
  const users: number[] = [];
  const events: LoginEvent[] = [];
  let seq = 0;
  for (let day = 0; day < DAYS; day++) {
    const today: { user: number; t: number; country: string; lat: number; lon: number; deviceId: string }[] = [];
    for (let u = 0; u < USERS; u++) {
      const city = CITIES[home[u] as number]!;
      const where = uniform() < 0.01 ? CITIES[Math.floor(uniform() * CITIES.length)]! : city;
      const localHour = uniform() < 0.005 ? uniform() * 24 : habit[u]! + Math.max(-4, Math.min(4, normal()));
      const t = Math.round(start + day * DAY_MS + (localHour - city.offset) * HOUR_MS);
      const deviceId = uniform() < 0.005 ? `new-${seq++}` : `u${u}-d${uniform() < 0.7 ? 0 : 1}`;
      const lat = where.lat + (uniform() - 0.5) * 0.2;
      const lon = where.lon + (uniform() - 0.5) * 0.2;
      const burst = uniform() < 0.001 ? 5 : 1;
      for (let k = 0; k < burst; k++) today.push({ user: u, t: t + k * 60_000, country: where.country, lat, lon, deviceId });
    }
    today.sort((a, b) => a.t - b.t);
    // Events are allocated in arrival order, as a stream parser would allocate them.
    for (const { user, t, country, lat, lon, deviceId } of today) {
      users.push(user);
      events.push({ at: new Date(t), country, lat, lon, deviceId: `${deviceId}` });
    }
  }
  return { users: Int32Array.from(users), events, zones };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/** `run`: prints the stream-path timing, its ratio to the haversine baseline and PASS/MISS. */
export async function run(): Promise<void> {
  const { users, events, zones } = synthesize(20_240_601);
  const n = events.length;
  const coords = events.map((e) => [e.lat as number, e.lon as number] as const);
  let hopKm = 0;
  let totalScore = 0;

  const baseline = () => {
    const lastLat = new Float64Array(USERS).fill(Number.NaN);
    const lastLon = new Float64Array(USERS);
    let km = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const u = users[i] as number;
      const [lat, lon] = coords[i]!;
      if (!Number.isNaN(lastLat[u]!)) km += haversineKm(lastLat[u]!, lastLon[u]!, lat, lon);
      lastLat[u] = lat;
      lastLon[u] = lon;
    }
    const ms = performance.now() - t0;
    hopKm = km;
    return ms;
  };

  const counts = new Map<string, number>();
  let anomalous = 0;
  const stream = (countReasons: boolean) => {
    const profiles: (LoginProfile | undefined)[] = new Array(USERS);
    let scores = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const u = users[i] as number;
      let profile = profiles[u];
      if (profile === undefined) {
        profile = createLoginProfile([], { timeZone: zones[u] });
        profiles[u] = profile;
      }
      const result = assessAndRecordLogin(profile, events[i]!);
      scores += result.score;
      if (countReasons) {
        if (result.anomalous) anomalous++;
        for (const reason of result.reasons) counts.set(reason.code, (counts.get(reason.code) ?? 0) + 1);
      }
    }
    const ms = performance.now() - t0;
    totalScore = scores;
    return ms;
  };

  const base: number[] = [];
  const risk: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    base.push(baseline());
    risk.push(stream(rep === 0));
  }
  const ms = median(risk);
  const baseMs = median(base);
  const verdict = ms < TARGET_MS ? 'PASS' : 'MISS';
  console.log(
    `${verdict} assessAndRecordLogin stream, ${n.toLocaleString('en-US')} logins / ${USERS.toLocaleString('en-US')} users: ` +
      `median ${ms.toFixed(0)} ms (target < ${TARGET_MS} ms), ${((ms * 1e6) / n).toFixed(0)} ns/login; ` +
      `${(ms / baseMs).toFixed(1)}x one haversine per login (${baseMs.toFixed(1)} ms)`,
  );
  const summary = [...counts].map(([code, c]) => `${code} ${c}`).join(', ');
  console.log(
    `  reasons: ${summary}; anomalous ${anomalous} (${((100 * anomalous) / n).toFixed(2)} %); ` +
      `total score ${totalScore}; mean hop ${(hopKm / (n - USERS)).toFixed(1)} km`,
  );
}
