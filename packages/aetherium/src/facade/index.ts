export { collectCosts, createCostSource } from './create-cost-source';
export type { CostForecastQuery, CostOperationOptions, CostSource, CostSourceOptions } from './types';
