// Numerical helpers shared by oracle's models. Internal: the package face re-exports only the seeded generator (random.ts).
export { logBeta, logGamma } from './gamma';
export { logHyp2f1 } from './hypergeometric';
export { solveLinear } from './linalg';
export { expm1Ratio, log1pExp, logAddExp, logSubExp, logSumExp, sigmoid } from './logspace';
export { type MinimizeResult, type NelderMeadOptions, nelderMead } from './optimize';
export { mulberry32, normalSampler } from './random';
