// Starts a throwaway RabbitMQ node (Debian package rabbitmq-server) for tests and benches: its
// own node name, AMQP, distribution and epmd ports (all free loopback ports), and its database,
// logs, config and Erlang cookie in a temporary directory, so it never touches a system broker.
// `stop()` + `start()` restart the same node with its durable queues (for broker-restart tests).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DebianPackageStatus, ensureDebianPackage } from './debian';
import { freePort, waitForPort } from './ports';

/** A running RabbitMQ node. */
export interface RabbitMqServer {
  /** `amqp://guest:guest@127.0.0.1:<port>` (guest may log in over loopback). */
  readonly url: string;
  readonly port: number;
  /** Stops the node (SIGKILL when `hard`), keeping its data for `start()`. */
  stop(options?: { hard?: boolean }): Promise<void>;
  /** Starts the node again on the same ports with the same data. */
  start(): Promise<void>;
  /** Stops the node and its epmd, and removes the directory. */
  close(): Promise<void>;
}

/** Whether rabbitmq-server can run here; the `reason` names the Debian package when not. */
export function rabbitMqServerStatus(): DebianPackageStatus {
  return ensureDebianPackage('rabbitmq-server', 'rabbitmq-server');
}

// Debian's /usr/sbin/rabbitmq-server switches to the rabbitmq user when run as root, which
// could not write our temporary directory; the script it wraps runs as whoever calls it.
const DIRECT_SCRIPT = '/usr/lib/rabbitmq/bin/rabbitmq-server';
const BOOT_TIMEOUT_MS = 120_000;

/** Starts a RabbitMQ node; throws when the package is missing (check {@link rabbitMqServerStatus} first). */
export async function startRabbitMqServer(): Promise<RabbitMqServer> {
  const status = rabbitMqServerStatus();
  if (!status.available) throw new Error(status.reason);
  const script = existsSync(DIRECT_SCRIPT) ? DIRECT_SCRIPT : status.path;
  const dir = mkdtempSync(join(tmpdir(), 'almanac-rabbitmq-'));
  const [port, distPort, epmdPort] = [await freePort(), await freePort(), await freePort()];
  for (const sub of ['mnesia', 'log', 'home']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'enabled_plugins'), '[].\n');
  writeFileSync(
    join(dir, 'rabbitmq.conf'),
    [`listeners.tcp.default = 127.0.0.1:${port}`, 'disk_free_limit.absolute = 1MB', 'log.console = false', 'log.file.level = warning', ''].join('\n'),
  );
  const env = {
    ...process.env,
    HOME: join(dir, 'home'),
    RABBITMQ_NODENAME: `almanac-${port}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    ERL_EPMD_PORT: String(epmdPort),
    ERL_EPMD_ADDRESS: '127.0.0.1',
    RABBITMQ_MNESIA_BASE: join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: join(dir, 'log'),
    RABBITMQ_CONFIG_FILE: join(dir, 'rabbitmq.conf'),
    RABBITMQ_ENABLED_PLUGINS_FILE: join(dir, 'enabled_plugins'),
    RABBITMQ_PID_FILE: join(dir, 'rabbitmq.pid'),
    RABBITMQ_CONF_ENV_FILE: join(dir, 'rabbitmq-env.conf'),
    RABBITMQ_ADVANCED_CONFIG_FILE: join(dir, 'advanced.config'),
  };
  let child: ChildProcess | undefined;
  let output = '';
  // Our own epmd in the foreground, so it is ours to stop: the one rabbitmq-server would start
  // daemonises out of reach and outlives the node. The node finds the port taken and uses this one.
  const epmd = spawn('epmd', ['-port', String(epmdPort), '-address', '127.0.0.1'], { env, stdio: 'ignore' });
  await waitForPort(epmdPort, 20_000, () => (epmd.exitCode !== null ? `epmd exited (${epmd.exitCode})` : undefined));

  const launch = async () => {
    output = '';
    // Its own process group, so stopping it also stops the Erlang VM it execs into.
    const proc = spawn(script, [], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = proc;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    await waitForPort(port, BOOT_TIMEOUT_MS, () => (proc.exitCode !== null ? `rabbitmq-server exited (${proc.exitCode}): ${output}` : undefined));
  };

  const halt = async (hard: boolean) => {
    const proc = child;
    child = undefined;
    if (!proc || proc.exitCode !== null || proc.pid === undefined) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    try {
      process.kill(-proc.pid, hard ? 'SIGKILL' : 'SIGTERM');
    } catch {
      proc.kill(hard ? 'SIGKILL' : 'SIGTERM');
    }
    await exited;
  };

  await launch();
  return {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    port,
    stop: (options) => halt(options?.hard ?? false),
    start: launch,
    async close() {
      await halt(true);
      epmd.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
