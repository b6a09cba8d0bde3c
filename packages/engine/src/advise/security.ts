import type { IngressRule, Instance } from '../spec';
import type { Finding, FindingSeverity } from './types';

/** Sources that mean "anyone on the internet". */
const WORLD = new Set(['0.0.0.0/0', '::/0', '*', 'internet', 'any']);

/** Ports whose exposure to the internet is high risk (admin and database ports). */
const SENSITIVE_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  23: 'Telnet',
  445: 'SMB',
  1433: 'SQL Server',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5900: 'VNC',
  6379: 'Redis',
  9200: 'Elasticsearch',
  11211: 'Memcached',
  27017: 'MongoDB',
};

/** Ports meant for the public. */
const PUBLIC_PORTS = new Set([80, 443]);

function exposure(rule: IngressRule): { severity: FindingSeverity; why: string } | undefined {
  if (!WORLD.has(rule.source.toLowerCase())) return undefined;
  if (rule.protocol === 'icmp') return undefined;
  const from = rule.fromPort ?? 0;
  const to = rule.toPort ?? 65_535;
  if (rule.protocol === 'all' || (from <= 0 && to >= 65_535)) return { severity: 'high', why: `all ports open to ${rule.source}` };
  const sensitive = Object.entries(SENSITIVE_PORTS).filter(([port]) => Number(port) >= from && Number(port) <= to);
  if (sensitive.length > 0) return { severity: 'high', why: `${sensitive.map(([p, name]) => `${name} (${p})`).join(', ')} open to ${rule.source}` };
  if (from === to && PUBLIC_PORTS.has(from)) return undefined;
  return { severity: 'medium', why: `${rule.protocol} ${from === to ? from : `${from}-${to}`} open to ${rule.source}` };
}

/** Public instance whose inbound rules let the internet reach more than web ports. */
export function openIngressFinding(instance: Instance): Finding | undefined {
  const publicIps = instance.publicIps ?? [];
  if (publicIps.length === 0 || instance.ingress === undefined || instance.state === 'terminated') return undefined;
  const exposed = instance.ingress.flatMap((rule) => {
    const e = exposure(rule);
    return e === undefined ? [] : [{ rule, ...e }];
  });
  if (exposed.length === 0) return undefined;
  const severity: FindingSeverity = exposed.some((e) => e.severity === 'high') ? 'high' : 'medium';
  return {
    id: `open-ingress:${instance.id}`,
    category: 'security',
    rule: 'open-ingress',
    severity,
    instanceId: instance.id,
    ...(instance.name === undefined ? {} : { instanceName: instance.name }),
    title: `Public instance reachable from the internet: ${exposed.map((e) => e.why).join('; ')}`,
    detail: `The instance has public address ${publicIps.join(', ')} and inbound rules open to everyone. Restrict the sources to known ranges or put the service behind a load balancer or bastion.`,
    evidence: { publicIps, rules: exposed.map((e) => e.rule) },
    estimatedMonthlySaving: 0,
  };
}

/** Instance without a patch-management tag. */
export function missingPatchTagFinding(instance: Instance, keys: readonly string[]): Finding | undefined {
  if (keys.length === 0 || instance.state === 'terminated') return undefined;
  if (keys.some((key) => Object.hasOwn(instance.tags, key))) return undefined;
  return {
    id: `missing-patch-tag:${instance.id}`,
    category: 'security',
    rule: 'missing-patch-tag',
    severity: 'low',
    instanceId: instance.id,
    ...(instance.name === undefined ? {} : { instanceName: instance.name }),
    title: 'No patch-group tag: the instance may be outside patch management',
    detail: `None of the tags ${keys.join(', ')} is set. Tag it so the patch baseline applies, or record why it is exempt.`,
    evidence: { expectedTagKeys: keys, tagKeys: Object.keys(instance.tags) },
    estimatedMonthlySaving: 0,
  };
}
