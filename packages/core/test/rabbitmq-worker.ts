// A consumer process for the RabbitMQ tests (run with `node --import tsx`): subscribes to
// argv[3] as a member of group argv[4] on the broker at argv[2], prints `ready`, then prints
// each event id as its handler starts; each handler takes 2 s, so the parent can kill this
// process while a batch is in flight (unacknowledged).
import { createRabbitMqEventBus } from '../src/rabbitmq';

const [url, topic, group] = process.argv.slice(2) as [string, string, string];
const bus = createRabbitMqEventBus({ url });
await bus.subscribe(
  topic,
  async (event) => {
    process.stdout.write(`${event.id}\n`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  },
  { group, prefetch: 10 },
);
process.stdout.write('ready\n');
