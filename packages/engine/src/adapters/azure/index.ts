/**
 * `@almanac/engine/azure`: the Azure (VMs, scale sets, Monitor) adapters. Not implemented yet: this
 * entry is a placeholder so the subpath exists.
 *
 * @packageDocumentation
 */
export {};
