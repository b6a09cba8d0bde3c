import { OracleRangeError } from '../errors';
import { sigmoid } from '../math';
import { array, finiteNumber, object, oneOf } from '../validate';
import { type BgNbdParams, bgNbdDropoutLogOdds, checkBgNbdParams } from './bgnbd';
import { checkCustomer } from './customers';
import type { RfmCustomer } from './customers';
import type { LogisticChurnModel } from './logistic';
import { checkThresholds, type ChurnThresholds, DEFAULT_CHURN_THRESHOLDS } from './thresholds';

/**
 * A churn model that needs no labelled data: P(churn) = 1 − P(alive) under a fitted BG/NBD
 * (Fader, Hardie & Lee 2005). Scored features are `frequency`, `recency` and `T`.
 * Customers with `frequency` 0 always score 0, because the BG/NBD lets customers drop out
 * only right after a repeat purchase; use a trained model if one-time buyers matter.
 */
export interface BgNbdChurnModel {
  /** Discriminant. */
  kind: 'bgnbd';
  /** Fitted BG/NBD parameters. */
  params: BgNbdParams;
  /** Probability cut-offs of the risk categories. */
  thresholds: ChurnThresholds;
}

/** Any model accepted by {@link scoreChurn}. */
export type ChurnModel = LogisticChurnModel | BgNbdChurnModel;

/** Risk category of a churn probability. */
export type ChurnCategory = 'low' | 'medium' | 'high';

/** One driver of a churn score, as an additive term of the churn log-odds. */
export interface ChurnContribution {
  /** Feature (or, for BG/NBD, derived driver) name. */
  feature: string;
  /** The customer's value of it. */
  value: number;
  /** Its additive effect on the churn log-odds: positive raises risk. */
  impact: number;
}

/** Result of {@link scoreChurn}. */
export interface ChurnScore {
  /** Probability of churn in [0, 1]. */
  probability: number;
  /** Risk category from the model's thresholds. */
  category: ChurnCategory;
  /** Drivers sorted by |impact|, largest first. */
  contributions: ChurnContribution[];
}

/** Options of {@link churnModelFromBgNbd}. */
export interface BgNbdChurnModelOptions {
  /** Category thresholds (default {@link DEFAULT_CHURN_THRESHOLDS}). */
  thresholds?: ChurnThresholds | undefined;
}

/**
 * Wraps fitted BG/NBD parameters as a ready-to-use churn model (P(churn) = 1 − P(alive),
 * Fader, Hardie & Lee 2005 and their 2008 P(alive) note), the default when no churn labels
 * exist. Score it with `scoreChurn(model, { frequency, recency, T })`.
 */
export function churnModelFromBgNbd(params: BgNbdParams, options: BgNbdChurnModelOptions = {}): BgNbdChurnModel {
  const p = checkBgNbdParams('params', params);
  const opts = object('options', options);
  const thresholds = opts['thresholds'] === undefined ? { ...DEFAULT_CHURN_THRESHOLDS } : checkThresholds('options.thresholds', opts['thresholds']);
  return { kind: 'bgnbd', params: p, thresholds };
}

function categorise(probability: number, t: ChurnThresholds): ChurnCategory {
  if (probability < t.medium) return 'low';
  return probability < t.high ? 'medium' : 'high';
}

function sortContributions(list: ChurnContribution[]): ChurnContribution[] {
  return list.sort((p, q) => Math.abs(q.impact) - Math.abs(p.impact) || (p.feature < q.feature ? -1 : p.feature > q.feature ? 1 : 0));
}

function scoreLogistic(m: Record<string, unknown>, features: Record<string, unknown>): ChurnScore {
  const names = array<string>('model.features', m['features']);
  const means = array<number>('model.means', m['means']);
  const scales = array<number>('model.scales', m['scales']);
  const coefficients = array<number>('model.coefficients', m['coefficients']);
  if (means.length !== names.length || scales.length !== names.length || coefficients.length !== names.length) {
    throw new OracleRangeError('model', 'features, means, scales and coefficients must have equal lengths');
  }
  const intercept = finiteNumber('model.intercept', m['intercept']);
  const thresholds = checkThresholds('model.thresholds', m['thresholds']);
  let eta = intercept;
  const contributions: ChurnContribution[] = names.map((feature, j) => {
    const value = finiteNumber(`features.${feature}`, features[feature]);
    const scale = finiteNumber(`model.scales[${j}]`, scales[j]);
    const impact =
      (finiteNumber(`model.coefficients[${j}]`, coefficients[j]) * (value - finiteNumber(`model.means[${j}]`, means[j]))) / scale;
    eta += impact;
    return { feature, value, impact };
  });
  const probability = sigmoid(eta);
  return { probability, category: categorise(probability, thresholds), contributions: sortContributions(contributions) };
}

function scoreBgNbd(m: Record<string, unknown>, features: Record<string, unknown>): ChurnScore {
  const params = checkBgNbdParams('model.params', m['params']);
  const thresholds = checkThresholds('model.thresholds', m['thresholds']);
  const customer = checkCustomer('features', features);
  if (customer.frequency === 0) return { probability: 0, category: categorise(0, thresholds), contributions: [] };
  const { frequencyTerm, inactivityTerm } = bgNbdDropoutLogOdds(params, customer);
  const probability = sigmoid(frequencyTerm + inactivityTerm);
  return {
    probability,
    category: categorise(probability, thresholds),
    contributions: sortContributions([
      { feature: 'frequency', value: customer.frequency, impact: frequencyTerm },
      { feature: 'timeSinceLastPurchase', value: customer.T - customer.recency, impact: inactivityTerm },
    ]),
  };
}

/**
 * Scores one customer with a churn model and explains the score. For a logistic model the
 * contributions are βⱼ·zⱼ per feature (extra keys in `features` are ignored); their sum
 * plus the intercept is the churn log-odds. For a BG/NBD model the dropout log-odds
 * ln[a/(b+x−1)] + (r+x) ln[(α+T)/(α+tₓ)] splits into a `frequency` term (repeat purchases
 * lower the odds) and a `timeSinceLastPurchase` term (T − tₓ raises them); it is empty
 * when `frequency` is 0 (probability 0 by the model's assumption).
 */
export function scoreChurn(model: BgNbdChurnModel, customer: Readonly<RfmCustomer>): ChurnScore;
/** Scores one customer's features (a logistic model's named features, or a BG/NBD customer). */
export function scoreChurn(model: ChurnModel, features: Readonly<Record<string, number>>): ChurnScore;
export function scoreChurn(model: ChurnModel, features: object): ChurnScore {
  const m = object('model', model);
  const f = object('features', features);
  return oneOf('model.kind', m['kind'], ['logistic', 'bgnbd'] as const) === 'logistic' ? scoreLogistic(m, f) : scoreBgNbd(m, f);
}

const ACTIONS: Readonly<Record<ChurnCategory, readonly string[]>> = {
  low: [
    'Keep the customer in regular lifecycle messaging; avoid discounts they do not need.',
    'Invite them to loyalty or referral programmes.',
    'Cross-sell or upsell based on recent purchases.',
  ],
  medium: [
    'Send a personalised re-engagement message highlighting what is new since their last purchase.',
    'Offer a modest, time-limited incentive on their next purchase.',
    'Ask for feedback to surface friction before it becomes churn.',
  ],
  high: [
    'Reach out personally (account manager or support) to understand and resolve issues.',
    'Offer a win-back incentive sized to the customer’s expected lifetime value.',
    'Review recent support tickets, failed payments or service incidents for this customer.',
  ],
};

/**
 * Default recommended retention actions for a risk category (common practice in retention
 * marketing, e.g. Ascarza et al. 2018, "In Pursuit of Enhanced Customer Retention
 * Management"). Returns a fresh array the caller may edit.
 */
export function churnActions(category: ChurnCategory): string[] {
  return [...ACTIONS[oneOf('category', category, ['low', 'medium', 'high'] as const)]];
}
