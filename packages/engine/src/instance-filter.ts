import type { Instance, ListInstancesRequest } from './spec';

/**
 * Whether `instance` passes the filter and tags of a listing request, for adapters that filter
 * what the cloud returned. `sameId` compares ids (ARM ids are case-insensitive; EC2's are not).
 * Shared by the AWS and Azure adapters; it lives outside `adapters/` so neither imports the other.
 */
export function matchesListRequest(instance: Instance, request: ListInstancesRequest, sameId: (a: string, b: string) => boolean = (a, b) => a === b): boolean {
  const filter = request.filter;
  if (filter?.ids !== undefined && !filter.ids.some((id) => sameId(id, instance.id))) return false;
  if (filter?.states !== undefined && !filter.states.includes(instance.state)) return false;
  if (filter?.sizes !== undefined && !filter.sizes.includes(instance.size)) return false;
  for (const [key, value] of Object.entries(request.tags ?? {})) if (instance.tags[key] !== value) return false;
  return true;
}
