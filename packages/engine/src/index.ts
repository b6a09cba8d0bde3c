/**
 * `@almanac/engine`: one compute interface over AWS EC2/ECS, Azure VMs and a simulator, with an
 * autoscaler and advice. The root never loads a cloud SDK; adapters live on subpaths
 * (`@almanac/engine/simulator`, `/aws`, `/azure`), the conformance suite on `/testing`.
 *
 * @packageDocumentation
 */
export * from './spec';
export * from './facade/index';
export * from './autoscaler/index';
export * from './advise/index';
