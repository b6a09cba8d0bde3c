/**
 * `@almanac/engine/aws`: the AWS (EC2, ECS, CloudWatch) adapters. Not implemented yet: this
 * entry is a placeholder so the subpath exists.
 *
 * @packageDocumentation
 */
export {};
