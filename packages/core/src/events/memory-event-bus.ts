import { abortReason, systemClock } from '../clock';
import type { Clock } from '../clock';
import { AbortedError, RateLimitError, ValidationError } from '../errors';
import { uuidv7 } from '../ids';
import type { EventBus, EventEnvelope, EventHandler, PublishReceipt, Subscription } from './types';
import { checkPublish, checkSubscribe } from './validate';

/** Options of {@link createMemoryEventBus}. */
export interface MemoryEventBusOptions {
  /** Source of `publishedAt`. Default {@link systemClock}. */
  clock?: Clock | undefined;
  /**
   * Most events waiting per group; `publish` rejects with a retryable `RateLimitError` when a
   * group of the topic is full, so a stalled consumer cannot grow memory without bound. Default 10 000.
   */
  maxQueuedPerGroup?: number | undefined;
}

/** The in-process {@link EventBus}, with what tests need to observe it. */
export interface MemoryEventBus extends EventBus {
  /** Resolves once no event is queued or being handled (events of groups without a subscriber excepted). */
  idle(): Promise<void>;
  /** Events that failed `maxAttempts` times in `group`, oldest first. */
  deadLetters(topic: string, group: string): readonly EventEnvelope[];
}

interface Member {
  handler: EventHandler<unknown>;
  prefetch: number;
  maxAttempts: number;
  inFlight: number;
  controller: AbortController;
}

interface GroupState {
  queue: EventEnvelope[];
  members: Member[];
  next: number;
  dead: EventEnvelope[];
}

const DEFAULT_MAX_QUEUED = 10_000;

/**
 * Creates the embedded {@link EventBus}: every group of a topic gets each event, delivered to
 * one member at a time (round robin, at most `prefetch` in flight per member). A handler that
 * throws gets the event again, up to `maxAttempts` deliveries, then it is dead-lettered.
 * Payloads are JSON round-tripped so handlers see what a broker would deliver.
 * Nothing survives the process: use `createRabbitMqEventBus` for that.
 */
export function createMemoryEventBus(options: MemoryEventBusOptions = {}): MemoryEventBus {
  const clock = options.clock ?? systemClock;
  const maxQueued = options.maxQueuedPerGroup ?? DEFAULT_MAX_QUEUED;
  if (!Number.isSafeInteger(maxQueued) || maxQueued < 1) {
    throw new ValidationError(undefined, [{ path: 'options.maxQueuedPerGroup', message: 'must be a positive integer' }]);
  }
  const topics = new Map<string, Map<string, GroupState>>();
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const groupOf = (topic: string, group: string): GroupState => {
    const groups = topics.get(topic) ?? new Map<string, GroupState>();
    topics.set(topic, groups);
    const state = groups.get(group) ?? { queue: [], members: [], next: 0, dead: [] };
    groups.set(group, state);
    return state;
  };

  const isIdle = () => {
    for (const groups of topics.values()) {
      for (const state of groups.values()) {
        if (state.members.some((member) => member.inFlight > 0)) return false;
        if (state.queue.length > 0 && state.members.length > 0) return false;
      }
    }
    return true;
  };

  const checkIdle = () => {
    if (idleWaiters.length === 0 || !isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };

  const deliver = async (state: GroupState, member: Member, envelope: EventEnvelope) => {
    member.inFlight++;
    let failed = false;
    try {
      await member.handler(envelope, { signal: member.controller.signal });
    } catch {
      failed = true;
    }
    member.inFlight--;
    if (failed && member.controller.signal.aborted) {
      // The subscriber left mid-delivery: like a consumer that died before acking, the
      // event goes back for another member, without counting an attempt.
      state.queue.unshift(envelope);
    } else if (failed) {
      if (envelope.attempt >= member.maxAttempts) state.dead.push(envelope);
      else state.queue.push({ ...envelope, attempt: envelope.attempt + 1 });
    }
    pump(state);
    checkIdle();
  };

  const pump = (state: GroupState) => {
    while (state.queue.length > 0) {
      const count = state.members.length;
      let chosen: Member | undefined;
      for (let i = 0; i < count && !chosen; i++) {
        const member = state.members[(state.next + i) % count] as Member;
        if (member.inFlight < member.prefetch) {
          chosen = member;
          state.next = (state.next + i + 1) % count;
        }
      }
      if (!chosen) return;
      const envelope = state.queue.shift() as EventEnvelope;
      void deliver(state, chosen, envelope);
    }
  };

  const assertOpen = (operation: string) => {
    if (closed) throw new AbortedError('The event bus is closed', { operation });
  };

  return {
    async publish(topic, event, publishOptions): Promise<PublishReceipt> {
      const json = checkPublish(topic, event, publishOptions);
      assertOpen('publish');
      if (publishOptions?.signal?.aborted) throw abortReason(publishOptions.signal);
      const groups = topics.get(topic);
      const id = publishOptions?.id ?? uuidv7();
      if (!groups) return { id };
      for (const state of groups.values()) {
        if (state.queue.length >= maxQueued) {
          throw new RateLimitError(`Event bus group is full (${maxQueued} queued events); its consumers are behind`, { operation: 'publish' });
        }
      }
      const publishedAt = clock.now();
      for (const state of groups.values()) {
        state.queue.push({
          id,
          topic,
          key: publishOptions?.key,
          data: JSON.parse(json) as unknown,
          headers: { ...publishOptions?.headers },
          publishedAt,
          attempt: 1,
        });
      }
      // Delivery starts after publish resolves, as it would with a broker.
      queueMicrotask(() => {
        for (const state of groups.values()) pump(state);
      });
      return { id };
    },
    async subscribe<T>(topic: string, handler: EventHandler<T>, subscribeOptions: Parameters<EventBus['subscribe']>[2]): Promise<Subscription> {
      const settings = checkSubscribe(topic, handler, subscribeOptions);
      assertOpen('subscribe');
      const state = groupOf(topic, settings.group);
      const member: Member = {
        handler: handler as EventHandler<unknown>,
        prefetch: settings.prefetch,
        maxAttempts: settings.maxAttempts,
        inFlight: 0,
        controller: new AbortController(),
      };
      state.members.push(member);
      queueMicrotask(() => pump(state));
      return {
        async close() {
          const index = state.members.indexOf(member);
          if (index < 0) return;
          state.members.splice(index, 1);
          member.controller.abort(new AbortedError('Subscription closed', { operation: 'subscribe' }));
          checkIdle();
        },
      };
    },
    async close() {
      closed = true;
      for (const groups of topics.values()) {
        for (const state of groups.values()) {
          for (const member of state.members.splice(0)) member.controller.abort(new AbortedError('Event bus closed', { operation: 'close' }));
        }
      }
      checkIdle();
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    deadLetters(topic, group) {
      return [...(topics.get(topic)?.get(group)?.dead ?? [])];
    },
  };
}
