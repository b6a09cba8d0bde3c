import { OracleRangeError } from '../errors';
import { finiteNumber, object } from '../validate';
import { type BgNbdParams, bgNbdExpectedPurchases, checkBgNbdParams } from './bgnbd';
import { checkCustomer, type SpendCustomer } from './customers';
import { checkGammaGammaParams, type GammaGammaParams, gammaGammaExpectedAverageValue } from './gamma-gamma';

/** Input of {@link customerLifetimeValue}. */
export interface CustomerLifetimeValueInput {
  /** Fitted transaction model. */
  bgNbd: BgNbdParams;
  /** Fitted spend model (q must exceed 1). */
  gammaGamma: GammaGammaParams;
  /** The customer's history, in the time unit the BG/NBD was fitted in. */
  customer: SpendCustomer;
  /** Number of whole months to project (0 gives 0). */
  horizonMonths: number;
  /** Discount rate per month, e.g. 0.01 (≥ 0). */
  monthlyDiscountRate: number;
  /** Model time units per month: 4.345 for weeks, 30 for days (lifetimes' conventions). */
  timeUnitsPerMonth: number;
}

/**
 * Discounted expected customer lifetime value over a finite horizon (Fader, Hardie & Lee
 * 2005b, "RFM and CLV", §4; computed like lifetimes' `customer_lifetime_value`):
 * Σ_{m=1}^{H} (E[purchases in month m] · E[value]) / (1 + d)^m, with the month's purchases
 * the difference of BG/NBD conditional expectations (eq. 10) and the value from Gamma-Gamma.
 * Discounting is applied at the end of each month.
 */
export function customerLifetimeValue(input: CustomerLifetimeValueInput): number {
  const o = object('input', input);
  const bg = checkBgNbdParams('input.bgNbd', o['bgNbd']);
  const gg = checkGammaGammaParams('input.gammaGamma', o['gammaGamma']);
  const c = object('input.customer', o['customer']);
  const history = checkCustomer('input.customer', c);
  const monetaryValue = finiteNumber('input.customer.monetaryValue', c['monetaryValue'], { min: 0 });
  const months = finiteNumber('input.horizonMonths', o['horizonMonths'], { min: 0, integer: true });
  const rate = finiteNumber('input.monthlyDiscountRate', o['monthlyDiscountRate'], { min: 0 });
  const unit = finiteNumber('input.timeUnitsPerMonth', o['timeUnitsPerMonth']);
  if (!(unit > 0)) throw new OracleRangeError('input.timeUnitsPerMonth', `must be > 0, got ${unit}`);
  const value = gammaGammaExpectedAverageValue(gg, { frequency: history.frequency, monetaryValue });
  let clv = 0;
  let previous = 0;
  for (let m = 1; m <= months; m++) {
    const cumulative = bgNbdExpectedPurchases(bg, history, m * unit);
    clv += ((cumulative - previous) * value) / (1 + rate) ** m;
    previous = cumulative;
  }
  return clv;
}
