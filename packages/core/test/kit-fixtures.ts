// Shared by the kit-*.test.ts files: a tiny provider spec, and a tracer that records spans.
import { SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { Attributes, AttributeValue, Exception, Span, SpanContext, SpanOptions, SpanStatus, Tracer } from '@opentelemetry/api';
import { defineCapabilityMethods } from '../src/kit/capabilities';

/** A provider of a made-up "notes" domain: `read` always there, `write`/`erase` optional. */
export interface NotesProvider {
  readonly name: string;
  readonly specificationVersion: 'v1';
  readonly capabilities: { readonly write: boolean; readonly erase: boolean | 'native' | 'emulated'; readonly search: boolean };
  read(request: { id: string; signal: AbortSignal }): Promise<string>;
  write?(request: { id: string; text: string; signal: AbortSignal }): Promise<void>;
  erase?(request: { id: string; signal: AbortSignal }): Promise<void>;
}

export const NOTES_CAPABILITY_METHODS = defineCapabilityMethods<NotesProvider>()({
  write: ['write'],
  erase: ['erase'],
  search: [],
});

export function notesProvider(overrides: Partial<NotesProvider> = {}): NotesProvider {
  return {
    name: 'acme',
    specificationVersion: 'v1',
    capabilities: { write: true, erase: false, search: false },
    read: async ({ id }) => `note ${id}`,
    write: async () => {},
    ...overrides,
  };
}

export interface RecordedSpan {
  readonly name: string;
  readonly options: SpanOptions | undefined;
  readonly attributes: Record<string, AttributeValue>;
  readonly exceptions: Exception[];
  status: SpanStatus | undefined;
  ended: number;
}

/** A tracer whose spans record everything and carry a valid context (so the runner makes them active). */
export function recordingTracer(): Tracer & { readonly spans: RecordedSpan[] } {
  const spans: RecordedSpan[] = [];
  const spanContext: SpanContext = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED };
  const startSpan = (name: string, options?: SpanOptions): Span => {
    const recorded: RecordedSpan = { name, options, attributes: { ...(options?.attributes ?? {}) } as Record<string, AttributeValue>, exceptions: [], status: undefined, ended: 0 };
    spans.push(recorded);
    const span: Span = {
      spanContext: () => spanContext,
      setAttribute(key, value) {
        recorded.attributes[key] = value;
        return span;
      },
      setAttributes(attributes: Attributes) {
        Object.assign(recorded.attributes, attributes);
        return span;
      },
      addEvent: () => span,
      addLink: () => span,
      addLinks: () => span,
      setStatus(status) {
        recorded.status = status;
        return span;
      },
      updateName: () => span,
      end() {
        recorded.ended++;
      },
      isRecording: () => true,
      recordException(exception) {
        recorded.exceptions.push(exception);
      },
    };
    return span;
  };
  return {
    spans,
    startSpan,
    startActiveSpan: (() => {
      throw new Error('not used');
    }) as Tracer['startActiveSpan'],
  };
}

export { SpanStatusCode };
