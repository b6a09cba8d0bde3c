/**
 * `@almanac/engine`: one compute interface over AWS EC2/ECS, Azure VMs and a simulator, with an
 * autoscaler and advice. The root never loads a cloud SDK; adapters live on subpaths.
 *
 * @packageDocumentation
 */
export * from './spec';
