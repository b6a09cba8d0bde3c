export { createCompute } from './create-compute';
export { createContainers } from './create-containers';
export type {
  Compute,
  Containers,
  EngineCallOptions,
  EngineFacadeOptions,
  GetMetricsInput,
  GetServiceMetricsInput,
  ListInstancesOptions,
  ListServicesOptions,
  ResizeOptions,
  ServiceRef,
  SetTagsOptions,
  StopOptions,
  WaitForOptions,
} from './types';
