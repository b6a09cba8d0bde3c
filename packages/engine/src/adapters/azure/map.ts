import { list, obj, text } from '../../json-read';
import type { Json } from '../../json-read';
import type { AttachedDisk, Instance, InstanceState, ScaleSet } from '../../spec';
import { AZURE_PROVIDER } from './errors';
import type { AzureVirtualMachine } from './sdk';

// Power states and their billing, https://learn.microsoft.com/azure/virtual-machines/states-billing:
// starting, running, stopping and stopped (powered off but still allocated) bill compute;
// deallocating and deallocated do not.
const POWER_STATES: Readonly<Record<string, { readonly state: InstanceState; readonly billed: boolean }>> = {
  'PowerState/starting': { state: 'pending', billed: true },
  'PowerState/running': { state: 'running', billed: true },
  'PowerState/stopping': { state: 'stopping', billed: true },
  'PowerState/stopped': { state: 'stopped', billed: true },
  'PowerState/deallocating': { state: 'stopping', billed: false },
  'PowerState/deallocated': { state: 'stopped', billed: false },
};

/** The `PowerState/...` code among instance-view statuses, if any. */
export function powerStateOf(statuses: unknown): string | undefined {
  for (const status of list(statuses)) {
    const code = text(status['code']);
    if (code?.startsWith('PowerState/')) return code;
  }
  return undefined;
}

/** The instance-view statuses of a VM model (`instanceView.statuses`, from `$expand=instanceView` or `statusOnly=true`). */
export function statusesOf(vm: AzureVirtualMachine): unknown {
  return obj(vm['instanceView'])?.['statuses'] ?? obj(obj(vm['properties'])?.['instanceView'])?.['statuses'];
}

function disksOf(vm: AzureVirtualMachine): AttachedDisk[] | undefined {
  const storage = obj(vm['storageProfile']);
  if (storage === undefined) return undefined;
  const disks: AttachedDisk[] = [];
  const add = (disk: Json | undefined) => {
    if (disk === undefined) return;
    const managed = obj(disk['managedDisk']);
    const id = text(managed?.['id']) ?? text(disk['name']);
    if (id === undefined) return;
    const size = disk['diskSizeGB'];
    const type = text(managed?.['storageAccountType']);
    // An ephemeral OS disk lives on the host and goes away with the allocation; managed disks keep billing.
    const ephemeral = text(obj(disk['diffDiskSettings'])?.['option']) === 'Local';
    disks.push({ id, ...(typeof size === 'number' && { sizeGiB: size }), ...(type !== undefined && { type }), billedWhenStopped: !ephemeral });
  };
  add(obj(storage['osDisk']));
  for (const disk of list(storage['dataDisks'])) add(disk);
  return disks;
}

/**
 * Maps a VM model onto the spec. `rawState` is the `PowerState/...` code (or `unknown` when
 * the statuses carry none). IP addresses live on network interfaces (Microsoft.Network), which
 * this adapter does not read (one more call per VM would slow every listing): `publicIps` and
 * `privateIps` are left absent — unknown, not "none"; the interface ids are in `raw.networkProfile`.
 */
export function toInstance(vm: AzureVirtualMachine, statuses: unknown = statusesOf(vm)): Instance {
  const rawState = powerStateOf(statuses) ?? 'unknown';
  const known = POWER_STATES[rawState];
  const zones = vm['zones'];
  const zone = Array.isArray(zones) && typeof zones[0] === 'string' ? zones[0] : undefined;
  const created = vm['timeCreated'];
  const launchedAt = created instanceof Date ? created : typeof created === 'string' ? new Date(created) : undefined;
  const tags = obj(vm['tags']);
  const disks = disksOf(vm);
  return {
    id: String(vm.id ?? ''),
    ...(vm.name !== undefined && { name: vm.name }),
    provider: AZURE_PROVIDER,
    region: String(vm.location ?? ''),
    ...(zone !== undefined && { zone }),
    size: text(obj(vm['hardwareProfile'])?.['vmSize']) ?? 'unknown',
    state: known?.state ?? 'unknown',
    rawState,
    ...(known !== undefined && { computeBilled: known.billed }),
    ...(launchedAt !== undefined && !Number.isNaN(launchedAt.getTime()) && { launchedAt }),
    tags: Object.fromEntries(Object.entries(tags ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    ...(disks !== undefined && { disks }),
    raw: vm,
  };
}

/** Maps a VM scale set model onto the spec. */
export function toScaleSet(vmss: Json): ScaleSet {
  const sku = obj(vmss['sku']);
  const tags = obj(vmss['tags']);
  return {
    id: String(vmss['id'] ?? ''),
    name: String(vmss['name'] ?? ''),
    region: String(vmss['location'] ?? ''),
    size: text(sku?.['name']) ?? 'unknown',
    capacity: typeof sku?.['capacity'] === 'number' ? sku['capacity'] : 0,
    tags: Object.fromEntries(Object.entries(tags ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    raw: vmss,
  };
}
