import { NotFoundError } from '@almanac/core';
import { AZURE_PROVIDER } from './errors';

/** The parts of an ARM resource id the SDK calls need. */
export interface AzureResourceRef {
  /** Subscription id. */
  readonly subscriptionId: string;
  /** Resource group name. */
  readonly resourceGroup: string;
  /** Resource name. */
  readonly name: string;
}

const TYPES = {
  vm: 'virtualMachines',
  vmss: 'virtualMachineScaleSets',
} as const;

/**
 * Parses `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/{type}/{name}`
 * (ARM ids are case-insensitive). An id that does not have this shape, or names another
 * subscription than the adapter's, names no resource here: `NotFoundError`.
 */
export function parseResourceId(id: string, kind: keyof typeof TYPES, subscriptionId: string, operation: string): AzureResourceRef {
  const type = TYPES[kind];
  const match = new RegExp(`^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Compute/${type}/([^/]+)$`, 'i').exec(id);
  if (match === null) {
    throw new NotFoundError(`azure: "${id}" is not a ${type} resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/${type}/<name>)`, {
      provider: AZURE_PROVIDER,
      operation,
    });
  }
  const [, subscription, resourceGroup, name] = match as unknown as [string, string, string, string];
  if (subscription.toLowerCase() !== subscriptionId.toLowerCase()) {
    throw new NotFoundError(`azure: ${id} is in another subscription than this adapter's (${subscriptionId})`, { provider: AZURE_PROVIDER, operation });
  }
  return { subscriptionId: subscription, resourceGroup: decodeURIComponent(resourceGroup), name: decodeURIComponent(name) };
}
