export { create__Domain__ } from './create-__domain__';
export type { __Domain__, __Domain__OperationOptions, __Domain__Options, __Domain__SearchOptions } from './types';
