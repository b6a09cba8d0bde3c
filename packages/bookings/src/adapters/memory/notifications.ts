// Watch channels of the memory provider and the listeners their notifications are "delivered" to.
import type { Clock, Logger } from '@almanac/core';
import type { WatchChannel } from '../../spec';
import type { StoredEvent } from './store';
import type { MemoryNotification } from './types';

/** Channels and listeners of one provider. */
export interface MemoryNotifier {
  /** Registers a channel with the secret its notifications echo. */
  add(channel: WatchChannel, token: string): void;
  /** Forgets a channel; forgetting twice is fine. */
  remove(channelId: string): void;
  /** Channels currently registered (expired ones included until removed). */
  channels(): WatchChannel[];
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: (notification: MemoryNotification) => void): () => void;
  /** Tells every live channel of the event's calendar about a change. A throwing listener is logged and skipped. */
  notify(event: StoredEvent, change: MemoryNotification['change']): void;
}

/** Creates the notifier of one provider. */
export function createMemoryNotifier(clock: Clock, logger: Logger): MemoryNotifier {
  const watches = new Map<string, { channel: WatchChannel; token: string }>();
  const listeners = new Set<(notification: MemoryNotification) => void>();
  return {
    add: (channel, token) => {
      watches.set(channel.id, { channel, token });
    },
    remove: (channelId) => {
      watches.delete(channelId);
    },
    channels: () => [...watches.values()].map(({ channel }) => channel),
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    notify(event, change) {
      const now = clock.now();
      for (const { channel, token } of watches.values()) {
        if (channel.calendarId !== event.calendarId || channel.expiresAt.getTime() <= now) continue;
        const notification: MemoryNotification = { channel, token, eventId: event.id, change, sequence: event.sequence };
        for (const listener of listeners) {
          try {
            listener(notification);
          } catch (error) {
            logger.warn('memory calendar notification listener threw; ignored', { channelId: channel.id, error });
          }
        }
      }
    },
  };
}
