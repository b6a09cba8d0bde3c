import { createRequire } from 'node:module';
import type * as OpenTelemetryApi from '@opentelemetry/api';

// `@opentelemetry/api` is ~50 modules; importing it eagerly made it a third of every package
// root's cold import, although no span is started until the first operation or request. It
// is loaded here, synchronously, on first use instead. Loading its CommonJS build from an ES
// module is safe: the API keeps its registered tracer provider, propagator and context
// manager on a versioned global, so every copy of the API in a process sees the SDK the
// application registered (that is how the API tolerates duplicate installs).

let loaded: typeof OpenTelemetryApi | undefined;

/** The OpenTelemetry API, loaded on the first call (from then on a cached module reference). */
export function openTelemetry(): typeof OpenTelemetryApi {
  if (loaded === undefined) {
    // The CommonJS build has `__filename`; the ES build resolves from its own URL.
    const load = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
    loaded = load('@opentelemetry/api') as typeof OpenTelemetryApi;
  }
  return loaded;
}
