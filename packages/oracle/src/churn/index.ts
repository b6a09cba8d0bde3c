/**
 * `@almanac/oracle/churn`: churn and customer lifetime value: the BG/NBD, Pareto/NBD and Gamma-Gamma
 * models, RFM summaries, and logistic churn training and scoring.
 *
 * @packageDocumentation
 */
export {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from './bgnbd';
export type { BgNbdFit, BgNbdFitOptions, BgNbdParams } from './bgnbd';
export { customerLifetimeValue } from './clv';
export type { CustomerLifetimeValueInput } from './clv';
export type { RfmCustomer, SpendCustomer } from './customers';
export { fitGammaGamma, gammaGammaExpectedAverageValue } from './gamma-gamma';
export type { GammaGammaFit, GammaGammaFitOptions, GammaGammaParams, SpendObservation } from './gamma-gamma';
export { trainChurnModel } from './logistic';
export type { ChurnTrainingOptions, ChurnTrainingRow, LogisticChurnModel } from './logistic';
export {
  fitParetoNbd,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
} from './pareto-nbd';
export type { ParetoNbdFit, ParetoNbdFitOptions, ParetoNbdParams } from './pareto-nbd';
export { rfmSummary } from './rfm';
export type { RfmRow, RfmSummaryOptions, Transaction } from './rfm';
export { churnActions, churnModelFromBgNbd, scoreChurn } from './score';
export type {
  BgNbdChurnModel,
  BgNbdChurnModelOptions,
  ChurnCategory,
  ChurnContribution,
  ChurnModel,
  ChurnScore,
} from './score';
export { DEFAULT_CHURN_THRESHOLDS } from './thresholds';
export type { ChurnThresholds } from './thresholds';
