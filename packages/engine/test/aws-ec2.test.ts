// Wire-level tests of the EC2 adapter: the real @aws-sdk/client-ec2 talks the EC2 Query API
// (form-encoded POSTs, XML answers) to a nock model of EC2 (test/fixtures/aws/fake-aws.ts).
// API reference: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
// Error codes: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
// Idempotency: https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-idempotency.html
import { expectAlmanacError } from '@almanac/core/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { AWS_COMPUTE_CAPABILITIES, createAwsCompute, createAwsComputeProvider } from '../src/adapters/aws';
import { ec2Error } from './fixtures/aws/ec2-xml';
import { EC2_ORIGIN, type FakeAws, REGION } from './fixtures/aws/fake-aws';
import { AWS_TEST_CREDENTIALS, AWS_TEST_SETTINGS, useFakeAws } from './fixtures/aws/harness';

const settings = AWS_TEST_SETTINGS;
const credentials = AWS_TEST_CREDENTIALS;

let fake: FakeAws;
useFakeAws((created) => {
  fake = created;
});

describe('EC2 listInstancesPage', () => {
  it('pages DescribeInstances with NextToken and maps state, raw state, billing and addresses', async () => {
    fake.addInstance({ id: 'i-0aaaaaaaaaaaaaaa1', state: 'running', tags: { Name: 'web-1', team: 'web' }, publicIp: '203.0.113.10', groups: ['sg-0web'] });
    fake.addInstance({ id: 'i-0aaaaaaaaaaaaaaa2', state: 'shutting-down', tags: { team: 'web' } });
    fake.addInstance({ id: 'i-0aaaaaaaaaaaaaaa3', state: 'stopped', type: 't3.large', tags: { team: 'web' } });
    fake.addInstance({ id: 'i-0aaaaaaaaaaaaaaa4', state: 'pending', tags: { team: 'data' } });
    fake.defaultPageSize = 2;
    fake.install(['ec2']);
    const provider = createAwsComputeProvider(settings);

    const first = await provider.listInstancesPage({ tags: { team: 'web' } });
    expect(first.cursor).toBe('page-2');
    expect(first.items.map((instance) => [instance.id, instance.state, instance.rawState, instance.computeBilled])).toEqual([
      ['i-0aaaaaaaaaaaaaaa1', 'running', 'running', true],
      ['i-0aaaaaaaaaaaaaaa2', 'stopping', 'shutting-down', undefined],
    ]);
    expect(first.items[0]).toMatchObject({
      name: 'web-1',
      provider: 'aws',
      region: REGION,
      zone: 'eu-west-1a',
      size: 't3.micro',
      tags: { Name: 'web-1', team: 'web' },
      publicIps: ['203.0.113.10'],
      privateIps: ['10.0.0.10'],
      launchedAt: new Date('2026-01-05T09:30:00.000Z'),
      disks: [{ id: 'vol-001234567890abcde', billedWhenStopped: true }],
    });
    // Absent facts stay absent: no ingress without the option, no name without a Name tag.
    expect(first.items[0]).not.toHaveProperty('ingress');
    expect(first.items[1]).not.toHaveProperty('name');
    // EC2 reports addresses in DescribeInstances, so an instance without a public one has an empty list ("none").
    expect(first.items[1]?.publicIps).toEqual([]);

    const second = await provider.listInstancesPage({ tags: { team: 'web' }, cursor: first.cursor as string });
    expect(second.cursor).toBeUndefined();
    expect(second.items.map((instance) => [instance.id, instance.state, instance.computeBilled, instance.size])).toEqual([['i-0aaaaaaaaaaaaaaa3', 'stopped', false, 't3.large']]);

    const calls = fake.callsOf('DescribeInstances');
    expect(calls[0]?.params).toMatchObject({ 'Filter.1.Name': 'tag:team', 'Filter.1.Value.1': 'web' });
    expect(calls[0]?.params).not.toHaveProperty('MaxResults');
    expect(calls[1]?.params).toMatchObject({ NextToken: 'page-2' });

    // A page-size hint becomes MaxResults within EC2's 5..1000.
    await provider.listInstancesPage({ pageSize: 2 });
    expect(fake.callsOf('DescribeInstances')[2]?.params).toMatchObject({ MaxResults: '5' });
  });

  it('filters ids through the instance-id filter, never InstanceIds with MaxResults', async () => {
    fake.addInstance({ id: 'i-0bbbbbbbbbbbbbbb1', state: 'running' });
    fake.addInstance({ id: 'i-0bbbbbbbbbbbbbbb2', state: 'stopping' });
    fake.addInstance({ id: 'i-0bbbbbbbbbbbbbbb3', state: 'stopped' });
    fake.install(['ec2']);
    const provider = createAwsComputeProvider(settings);
    const page = await provider.listInstancesPage({
      filter: { ids: ['i-0bbbbbbbbbbbbbbb1', 'i-0bbbbbbbbbbbbbbb2', 'i-0ffffffffffffff99'], states: ['stopping', 'stopped'] },
      pageSize: 50,
    });
    expect(page.items.map((instance) => instance.id)).toEqual(['i-0bbbbbbbbbbbbbbb2']);
    const params = fake.callsOf('DescribeInstances')[0]?.params ?? {};
    expect(Object.keys(params).filter((key) => key.startsWith('InstanceId'))).toEqual([]);
    expect(params).toMatchObject({
      'Filter.1.Name': 'instance-id',
      'Filter.2.Name': 'instance-state-name',
      'Filter.2.Value.1': 'stopping',
      'Filter.2.Value.2': 'shutting-down',
      'Filter.2.Value.3': 'stopped',
      MaxResults: '50',
    });
  });

  it('answers states EC2 never reports (rebooting) with an empty page and no call', async () => {
    const provider = createAwsComputeProvider(settings);
    expect(await provider.listInstancesPage({ filter: { states: ['rebooting'] } })).toEqual({ items: [] });
  });

  it('fills ingress from DescribeSecurityGroups when asked, one call per page', async () => {
    fake.addInstance({ id: 'i-0ccccccccccccccc1', groups: ['sg-0open', 'sg-0lan'], publicIp: '198.51.100.7' });
    fake.addInstance({ id: 'i-0ccccccccccccccc2', groups: ['sg-0lan'] });
    fake.securityGroups.set('sg-0open', [{ protocol: 'tcp', from: 22, to: 22, cidrs: ['0.0.0.0/0'] }]);
    fake.securityGroups.set('sg-0lan', [{ protocol: '-1', cidrs: ['10.0.0.0/8'] }]);
    fake.install(['ec2']);
    const page = await createAwsComputeProvider({ ...settings, ingress: true }).listInstancesPage({});
    expect(page.items[0]?.ingress).toEqual([
      { protocol: 'tcp', fromPort: 22, toPort: 22, source: '0.0.0.0/0', groupId: 'sg-0open' },
      { protocol: 'all', source: '10.0.0.0/8', groupId: 'sg-0lan' },
    ]);
    expect(page.items[1]?.ingress).toEqual([{ protocol: 'all', source: '10.0.0.0/8', groupId: 'sg-0lan' }]);
    expect(fake.callsOf('DescribeSecurityGroups')).toHaveLength(1);
    expect(fake.callsOf('DescribeSecurityGroups')[0]?.params).toMatchObject({ 'GroupId.1': 'sg-0open', 'GroupId.2': 'sg-0lan' });
  });
});

describe('EC2 single-instance calls', () => {
  it('getInstance asks by InstanceIds without MaxResults and maps InvalidInstanceID.NotFound to NotFoundError', async () => {
    fake.addInstance({ id: 'i-0ddddddddddddddd1' });
    fake.install(['ec2']);
    const provider = createAwsComputeProvider(settings);
    expect((await provider.getInstance({ id: 'i-0ddddddddddddddd1' })).state).toBe('running');
    await expectAlmanacError(provider.getInstance({ id: 'i-0ddddddddddddddd9' }), { code: 'not_found', provider: 'aws', operation: 'DescribeInstances' });
    await expectAlmanacError(provider.getInstance({ id: 'not-an-id' }), { code: 'not_found' });
    for (const call of fake.callsOf('DescribeInstances')) {
      expect(call.params).not.toHaveProperty('MaxResults');
      expect(call.params['InstanceId.1']).toBeDefined();
    }
  });

  it('retries RequestLimitExceeded on reads and gives up with RateLimitError', async () => {
    fake.addInstance({ id: 'i-0eeeeeeeeeeeeee01' });
    fake.failNext('DescribeInstances', 503, 'RequestLimitExceeded', 'Request limit exceeded.', 2);
    fake.install(['ec2']);
    const provider = createAwsComputeProvider({ ...settings, retry: { baseDelayMs: 0, maxAttempts: 3 } });
    expect((await provider.getInstance({ id: 'i-0eeeeeeeeeeeeee01' })).id).toBe('i-0eeeeeeeeeeeeee01');
    expect(fake.callsOf('DescribeInstances')).toHaveLength(3);

    fake.failNext('DescribeInstances', 503, 'RequestLimitExceeded', 'Request limit exceeded.', 3);
    const error = await expectAlmanacError(provider.getInstance({ id: 'i-0eeeeeeeeeeeeee01' }), { code: 'rate_limited', provider: 'aws' });
    expect(error.retryable).toBe(true);
    expect(fake.callsOf('DescribeInstances')).toHaveLength(6);
  });

  it('never retries RebootInstances (a repeat would reboot twice)', async () => {
    fake.addInstance({ id: 'i-0eeeeeeeeeeeeee02' });
    fake.failNext('RebootInstances', 503, 'RequestLimitExceeded', 'Request limit exceeded.');
    fake.install(['ec2']);
    const provider = createAwsComputeProvider({ ...settings, retry: { baseDelayMs: 0, maxAttempts: 5 } });
    await expectAlmanacError(provider.reboot({ id: 'i-0eeeeeeeeeeeeee02' }), { code: 'rate_limited' });
    expect(fake.callsOf('RebootInstances')).toHaveLength(1);
    await provider.reboot({ id: 'i-0eeeeeeeeeeeeee02' });
    expect(fake.reboots.get('i-0eeeeeeeeeeeeee02')).toBe(1);
  });

  it('start of a running and stop of a stopped instance are no-ops; a terminated one is a ConflictError', async () => {
    fake.addInstance({ id: 'i-0f0000000000000a1', state: 'running' });
    fake.addInstance({ id: 'i-0f0000000000000a2', state: 'stopped' });
    fake.addInstance({ id: 'i-0f0000000000000a3', state: 'terminated' });
    fake.install(['ec2']);
    const provider = createAwsComputeProvider(settings);
    await provider.start({ id: 'i-0f0000000000000a1' });
    await provider.stop({ id: 'i-0f0000000000000a2', deallocate: true });
    expect(fake.instances.get('i-0f0000000000000a1')?.state).toBe('running');
    expect(fake.instances.get('i-0f0000000000000a2')?.state).toBe('stopped');
    await expectAlmanacError(provider.start({ id: 'i-0f0000000000000a3' }), { code: 'conflict', operation: 'StartInstances' });
  });

  it('stop then start move through stopping/pending as DescribeInstances reports them', async () => {
    fake.addInstance({ id: 'i-0f0000000000000b1', state: 'running' });
    fake.install(['ec2']);
    const provider = createAwsComputeProvider(settings);
    await provider.stop({ id: 'i-0f0000000000000b1' });
    expect((await provider.getInstance({ id: 'i-0f0000000000000b1' })).state).toBe('stopping');
    expect((await provider.getInstance({ id: 'i-0f0000000000000b1' })).state).toBe('stopped');
    await provider.start({ id: 'i-0f0000000000000b1' });
    expect((await provider.getInstance({ id: 'i-0f0000000000000b1' })).rawState).toBe('pending');
    expect((await provider.getInstance({ id: 'i-0f0000000000000b1' })).rawState).toBe('running');
  });

  it('resizes a stopped instance with ModifyInstanceAttribute and refuses a running one with ConflictError', async () => {
    fake.addInstance({ id: 'i-0f0000000000000c1', state: 'running' });
    fake.addInstance({ id: 'i-0f0000000000000c2', state: 'stopped' });
    fake.install(['ec2']);
    const provider = createAwsComputeProvider(settings);
    await expectAlmanacError(provider.resizeInstance({ id: 'i-0f0000000000000c1', size: 't3.large' }), { code: 'conflict', operation: 'ModifyInstanceAttribute' });
    await provider.resizeInstance({ id: 'i-0f0000000000000c2', size: 't3.large' });
    expect(fake.instances.get('i-0f0000000000000c2')?.type).toBe('t3.large');
    expect(fake.callsOf('ModifyInstanceAttribute')[1]?.params).toMatchObject({ InstanceId: 'i-0f0000000000000c2', 'InstanceType.Value': 't3.large' });
  });

  it('sets tags with CreateTags and removes keys with DeleteTags', async () => {
    fake.addInstance({ id: 'i-0f0000000000000d1', tags: { env: 'dev', owner: 'ops' } });
    fake.install(['ec2']);
    const provider = createAwsComputeProvider(settings);
    await provider.setTags({ id: 'i-0f0000000000000d1', tags: { env: 'prod', patched: '2026-01' }, remove: ['owner'] });
    expect(fake.instances.get('i-0f0000000000000d1')?.tags).toEqual({ env: 'prod', patched: '2026-01' });
    expect(fake.callsOf('DeleteTags')[0]?.params).toMatchObject({ 'ResourceId.1': 'i-0f0000000000000d1', 'Tag.1.Key': 'owner' });
    expect(fake.callsOf('DeleteTags')[0]?.params).not.toHaveProperty('Tag.1.Value');
  });

  it('associates and disassociates an Elastic IP by allocation id or address, idempotently', async () => {
    fake.addInstance({ id: 'i-0f0000000000000e1' });
    fake.addInstance({ id: 'i-0f0000000000000e2' });
    fake.addresses.push({ allocationId: 'eipalloc-0123456789abcdef0', publicIp: '203.0.113.25' });
    fake.install(['ec2']);
    const provider = createAwsComputeProvider(settings);
    await provider.associateAddress({ id: 'i-0f0000000000000e1', address: 'eipalloc-0123456789abcdef0' });
    await provider.associateAddress({ id: 'i-0f0000000000000e1', address: '203.0.113.25' });
    expect(fake.callsOf('AssociateAddress')).toHaveLength(1);
    expect(fake.callsOf('AssociateAddress')[0]?.params).toMatchObject({ AllocationId: 'eipalloc-0123456789abcdef0', AllowReassociation: 'false' });
    expect((await provider.getInstance({ id: 'i-0f0000000000000e1' })).publicIps).toEqual(['203.0.113.25']);
    // In use by another instance: refused, never moved.
    await expectAlmanacError(provider.associateAddress({ id: 'i-0f0000000000000e2', address: '203.0.113.25' }), { code: 'conflict' });
    // Not associated with e2: a no-op.
    await provider.disassociateAddress({ id: 'i-0f0000000000000e2', address: '203.0.113.25' });
    await provider.disassociateAddress({ id: 'i-0f0000000000000e1', address: '203.0.113.25' });
    await provider.disassociateAddress({ id: 'i-0f0000000000000e1', address: '203.0.113.25' });
    expect(fake.callsOf('DisassociateAddress')).toHaveLength(1);
    await expectAlmanacError(provider.associateAddress({ id: 'i-0f0000000000000e1', address: '192.0.2.1' }), { code: 'not_found' });
  });

  it('lists sizes across DescribeInstanceTypes pages, for an instance only of its architecture', async () => {
    fake.addInstance({ id: 'i-0f0000000000000f1', architecture: 'arm64' });
    fake.install(['ec2']);
    const provider = createAwsComputeProvider(settings);
    const all = await provider.listSizes({});
    expect(all.map((size) => size.name)).toEqual(['m5.large', 't3.large', 't3.micro', 't3.small', 't4g.micro']);
    expect(all.find((size) => size.name === 't3.large')).toMatchObject({ vcpus: 2, memoryGiB: 8 });
    expect(all[0]).not.toHaveProperty('hourlyPrice');
    expect((await provider.listSizes({ id: 'i-0f0000000000000f1' })).map((size) => size.name)).toEqual(['t4g.micro']);
  });
});

describe('EC2 adapter errors, options and SDK loading', () => {
  it('maps AuthFailure to AuthError without leaking the secret key', async () => {
    nock(EC2_ORIGIN).post('/').reply(401, ec2Error('AuthFailure', 'AWS was not able to validate the provided access credentials'), { 'content-type': 'text/xml' });
    const error = await expectAlmanacError(createAwsComputeProvider(settings).listInstancesPage({}), { code: 'auth', provider: 'aws' });
    expect(JSON.stringify(error.toJSON())).not.toContain(credentials.secretAccessKey);
    expect(error.message).not.toContain(credentials.secretAccessKey);
  });

  it('sends to an endpoint override (one URL, or one per service) and accepts a credential provider', async () => {
    nock('https://ec2.vpce-0123.example.internal')
      .post('/', (body) => body.Action === 'DescribeInstances')
      .reply(200, '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><reservationSet/></DescribeInstancesResponse>', { 'content-type': 'text/xml' });
    const provider = createAwsComputeProvider({
      region: REGION,
      endpoint: { ec2: 'https://ec2.vpce-0123.example.internal' },
      credentials: async () => credentials,
    });
    expect(await provider.listInstancesPage({})).toEqual({ items: [] });
  });

  it('hands the caller signal to the SDK: an aborted call ends with AbortedError', async () => {
    nock(EC2_ORIGIN).post('/').delay(5_000).reply(200, '');
    const controller = new AbortController();
    const pending = createAwsComputeProvider(settings).listInstancesPage({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expectAlmanacError(pending, { code: 'aborted' });
  });

  it('validates options, naming the field', async () => {
    await expectAlmanacError(() => createAwsComputeProvider({ region: 'Mars 1' }), { code: 'validation', field: 'options.region' });
    await expectAlmanacError(() => createAwsComputeProvider({ region: REGION, endpoint: 'not a url' }), { code: 'validation', field: 'options.endpoint' });
    await expectAlmanacError(() => createAwsComputeProvider({ region: REGION, credentials: { accessKeyId: '', secretAccessKey: 'x' } }), {
      code: 'validation',
      field: 'options.credentials.accessKeyId',
    });
  });

  it('names the package to install when @aws-sdk/client-ec2 is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package '@aws-sdk/client-ec2' imported from x"), { code: 'ERR_MODULE_NOT_FOUND' });
    const provider = createAwsComputeProvider({ ...settings, importers: { ec2: () => Promise.reject(missing) } });
    await expectAlmanacError(provider.listInstancesPage({}), { code: 'config', message: 'npm install @aws-sdk/client-ec2' });
  });

  it('declares honest capabilities: no deallocation, no in-place resize, no scale sets', () => {
    expect(AWS_COMPUTE_CAPABILITIES).toMatchObject({ deallocate: false, resizeInPlace: false, scaleSets: false, prices: false, addresses: true });
    const provider = createAwsComputeProvider(settings) as unknown as Record<string, unknown>;
    expect(provider['listScaleSetsPage']).toBeUndefined();
  });

  it('createAwsCompute returns the facade with the provider reachable', async () => {
    fake.addInstance({ id: 'i-0f000000000000a01', tags: { team: 'web' } });
    fake.addInstance({ id: 'i-0f000000000000a02', tags: { team: 'web' } });
    fake.defaultPageSize = 1;
    fake.install(['ec2']);
    const compute = createAwsCompute(settings);
    expect(compute.provider.name).toBe('aws');
    const ids: string[] = [];
    for await (const instance of compute.listInstances({ tags: { team: 'web' } })) ids.push(instance.id);
    expect(ids).toEqual(['i-0f000000000000a01', 'i-0f000000000000a02']);
    expect(fake.callsOf('DescribeInstances')).toHaveLength(2);
  });
});
