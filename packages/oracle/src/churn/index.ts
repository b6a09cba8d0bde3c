export {
  type BgNbdFit,
  type BgNbdFitOptions,
  type BgNbdParams,
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNew,
  bgNbdLogLikelihood,
  bgNbdProbabilityAlive,
  fitBgNbd,
} from './bgnbd';
export { type CustomerLifetimeValueInput, customerLifetimeValue } from './clv';
export type { RfmCustomer, SpendCustomer } from './customers';
export {
  fitGammaGamma,
  type GammaGammaFit,
  type GammaGammaFitOptions,
  type GammaGammaParams,
  gammaGammaExpectedAverageValue,
  type SpendObservation,
} from './gamma-gamma';
export { type ChurnTrainingOptions, type ChurnTrainingRow, type LogisticChurnModel, trainChurnModel } from './logistic';
export {
  fitParetoNbd,
  type ParetoNbdFit,
  type ParetoNbdFitOptions,
  type ParetoNbdParams,
  paretoNbdExpectedPurchases,
  paretoNbdLogLikelihood,
  paretoNbdProbabilityAlive,
} from './pareto-nbd';
export { type RfmRow, type RfmSummaryOptions, rfmSummary, type Transaction } from './rfm';
export {
  type BgNbdChurnModel,
  type BgNbdChurnModelOptions,
  type ChurnCategory,
  type ChurnContribution,
  type ChurnModel,
  type ChurnScore,
  churnActions,
  churnModelFromBgNbd,
  scoreChurn,
} from './score';
export { type ChurnThresholds, DEFAULT_CHURN_THRESHOLDS } from './thresholds';
