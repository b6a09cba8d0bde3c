/**
 * The slice of a Redis client the adapters call, typed structurally so no SDK type reaches
 * the exports: node-redis (`redis` v5/v6) clients satisfy it as they are, and anything that
 * can send a raw command (an ioredis `call` wrapper, a cluster client, a test double) can too.
 */
export interface RedisCommandClient {
  /**
   * Sends one command, e.g. `['SET', key, value, 'NX', 'PX', '1000']`, and resolves the reply
   * (strings, numbers, arrays, `null`). Should reject at once rather than queue without bound
   * while disconnected (node-redis: `disableOfflineQueue: true`, which {@link createRedisClient} sets).
   */
  sendCommand(args: ReadonlyArray<string>, options?: { abortSignal?: AbortSignal | undefined }): Promise<unknown>;
}
