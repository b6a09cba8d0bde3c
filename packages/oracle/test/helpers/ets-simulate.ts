import type { EtsParameters, EtsSpec, EtsStates } from '../../src/forecast/ets-model';

/**
 * Draws a series from an ETS model (Hyndman et al. 2008, Table 2.3) with the given initial states
 * and Gaussian innovations of standard deviation `sigma` (relative for multiplicative errors).
 * Returns the series and the true states after it, from which futures can be drawn. `x0.season[j]`
 * applies at times ≡ j (mod period), counted from the start of this draw.
 */
export function simulateEts(spec: EtsSpec, p: EtsParameters, x0: EtsStates, sigma: number, n: number, draw: () => number): { y: number[]; final: EtsStates } {
  const m = spec.season === 'none' ? 1 : spec.period;
  const phi = spec.trend === 'damped' ? p.phi : 1;
  let l = x0.level;
  let b = x0.trend;
  const s = x0.season.slice();
  const y: number[] = [];
  for (let t = 0; t < n; t++) {
    const j = t % m;
    const lb = l + phi * b;
    const st = m > 1 ? s[j]! : spec.season === 'multiplicative' ? 1 : 0;
    const mu = spec.season === 'multiplicative' ? lb * st : lb + st;
    const e = spec.error === 'additive' ? sigma * draw() : mu * sigma * draw();
    y.push(mu + e);
    if (spec.season === 'multiplicative') {
      l = lb + (p.alpha * e) / st;
      b = phi * b + (p.beta * e) / st;
      s[j] = st + (p.gamma * e) / lb;
    } else {
      l = lb + p.alpha * e;
      b = phi * b + p.beta * e;
      if (m > 1) s[j] = st + p.gamma * e;
    }
  }
  return { y, final: { level: l, trend: b, season: s } };
}
