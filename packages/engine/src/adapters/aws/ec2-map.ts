import { list, obj, text } from '../../json-read';
import type { Json } from '../../json-read';
import type { AttachedDisk, IngressRule, Instance, InstanceState } from '../../spec';
import { AWS_PROVIDER } from './errors';

// EC2 instance states, https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-instance-lifecycle.html
const STATES: Readonly<Record<string, InstanceState>> = {
  pending: 'pending',
  running: 'running',
  stopping: 'stopping',
  'shutting-down': 'stopping',
  stopped: 'stopped',
  terminated: 'terminated',
};

/** EC2 raw state names behind each normalised state (for server-side `instance-state-name` filters). */
export const EC2_RAW_STATES: Readonly<Record<InstanceState, readonly string[]>> = {
  pending: ['pending'],
  running: ['running'],
  stopping: ['stopping', 'shutting-down'],
  stopped: ['stopped'],
  terminated: ['terminated'],
  // EC2 reports no rebooting state (a reboot keeps `running`) and names every state it has.
  rebooting: [],
  unknown: [],
};

/** Normalises an EC2 state name. */
export function ec2State(raw: string): InstanceState {
  return STATES[raw] ?? 'unknown';
}

// Per the lifecycle page: a running instance is billed, a stopped or terminated one is not.
// Other states are left unknown rather than guessed.
function computeBilled(raw: string): boolean | undefined {
  if (raw === 'running') return true;
  if (raw === 'stopped' || raw === 'terminated') return false;
  return undefined;
}

/** EC2 `Tags` (`[{ Key, Value }]`) as a record. */
export function ec2Tags(value: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of list(value)) {
    const key = text(tag['Key']);
    if (key !== undefined) tags[key] = typeof tag['Value'] === 'string' ? tag['Value'] : '';
  }
  return tags;
}

function addresses(raw: Json): { publicIps: string[]; privateIps: string[] } {
  const publicIps = new Set<string>();
  const privateIps = new Set<string>();
  const add = (set: Set<string>, value: unknown) => {
    const address = text(value);
    if (address !== undefined) set.add(address);
  };
  add(publicIps, raw['PublicIpAddress']);
  add(privateIps, raw['PrivateIpAddress']);
  for (const nic of list(raw['NetworkInterfaces'])) {
    add(publicIps, obj(nic['Association'])?.['PublicIp']);
    for (const ip of list(nic['PrivateIpAddresses'])) {
      add(privateIps, ip['PrivateIpAddress']);
      add(publicIps, obj(ip['Association'])?.['PublicIp']);
    }
  }
  return { publicIps: [...publicIps], privateIps: [...privateIps] };
}

function disks(raw: Json): AttachedDisk[] | undefined {
  const mappings = list(raw['BlockDeviceMappings']);
  if (!Array.isArray(raw['BlockDeviceMappings'])) return undefined;
  const result: AttachedDisk[] = [];
  for (const mapping of mappings) {
    const id = text(obj(mapping['Ebs'])?.['VolumeId']);
    // EBS volumes keep billing while the instance is stopped; DescribeInstances does not give their size.
    if (id !== undefined) result.push({ id, billedWhenStopped: true });
  }
  return result;
}

/** Security group ids of an EC2 instance record. */
export function securityGroupIds(raw: unknown): string[] {
  return list(obj(raw)?.['SecurityGroups'])
    .map((group) => text(group['GroupId']))
    .filter((id): id is string => id !== undefined);
}

/** Maps one EC2 `Instance` record (as the SDK returns it) onto the spec. */
export function toInstance(raw: Json, region: string, ingress?: readonly IngressRule[]): Instance {
  const rawState = text(obj(raw['State'])?.['Name']) ?? 'unknown';
  const tags = ec2Tags(raw['Tags']);
  const zone = text(obj(raw['Placement'])?.['AvailabilityZone']);
  const launched = raw['LaunchTime'];
  const launchedAt = launched instanceof Date ? launched : typeof launched === 'string' ? new Date(launched) : undefined;
  const billed = computeBilled(rawState);
  const attached = disks(raw);
  return {
    id: String(raw['InstanceId'] ?? ''),
    ...(tags['Name'] !== undefined && tags['Name'] !== '' && { name: tags['Name'] }),
    provider: AWS_PROVIDER,
    region,
    ...(zone !== undefined && { zone }),
    size: text(raw['InstanceType']) ?? 'unknown',
    state: ec2State(rawState),
    rawState,
    ...(billed !== undefined && { computeBilled: billed }),
    ...(launchedAt !== undefined && !Number.isNaN(launchedAt.getTime()) && { launchedAt }),
    tags,
    ...addresses(raw),
    ...(ingress !== undefined && { ingress }),
    ...(attached !== undefined && { disks: attached }),
    raw,
  };
}

const PROTOCOLS: Readonly<Record<string, IngressRule['protocol']>> = {
  '-1': 'all',
  tcp: 'tcp',
  '6': 'tcp',
  udp: 'udp',
  '17': 'udp',
  icmp: 'icmp',
  '1': 'icmp',
  icmpv6: 'icmp',
  '58': 'icmp',
};

/**
 * The inbound rules of EC2 security groups (`DescribeSecurityGroups` records), by group id.
 * Protocols EC2 names by number beyond tcp/udp/icmp are skipped (the spec has no name for them).
 * ICMP "ports" are type and code, so they are left out.
 */
export function ingressByGroup(groups: readonly Json[]): Map<string, IngressRule[]> {
  const byGroup = new Map<string, IngressRule[]>();
  for (const group of groups) {
    const groupId = text(group['GroupId']);
    if (groupId === undefined) continue;
    const rules: IngressRule[] = [];
    for (const permission of list(group['IpPermissions'])) {
      const protocol = PROTOCOLS[String(permission['IpProtocol'] ?? '')];
      if (protocol === undefined) continue;
      const from = permission['FromPort'];
      const to = permission['ToPort'];
      const ports =
        protocol === 'tcp' || protocol === 'udp'
          ? { ...(typeof from === 'number' && from >= 0 && { fromPort: from }), ...(typeof to === 'number' && to >= 0 && { toPort: to }) }
          : {};
      const sources = [
        ...list(permission['IpRanges']).map((range) => text(range['CidrIp'])),
        ...list(permission['Ipv6Ranges']).map((range) => text(range['CidrIpv6'])),
        ...list(permission['UserIdGroupPairs']).map((pair) => text(pair['GroupId'])),
        ...list(permission['PrefixListIds']).map((prefix) => text(prefix['PrefixListId'])),
      ];
      for (const source of sources) if (source !== undefined) rules.push({ protocol, ...ports, source, groupId });
    }
    byGroup.set(groupId, rules);
  }
  return byGroup;
}

/** The instances of a `DescribeInstances` answer (`Reservations[].Instances[]`), in order. */
export function instancesOf(output: Json): Json[] {
  return list(output['Reservations']).flatMap((reservation) => list(reservation['Instances']));
}
