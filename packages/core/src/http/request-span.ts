import type { Span, Tracer } from '@opentelemetry/api';
import type { AlmanacError } from '../errors';
import { openTelemetry } from '../otel-api';
import type { CallState } from './attempt';
import type { PreparedRequest } from './prepare-request';

// Tracing of one call: one OpenTelemetry client span, a no-op until the application
// registers an SDK. Attributes are set only on a recording span, so the no-op path
// allocates nothing beyond what the tracer does.

/** Starts the span of one call and propagates its context in the request headers. */
export function startRequestSpan(tracer: Tracer, prepared: PreparedRequest): Span {
  const otel = openTelemetry();
  const span: Span = tracer.startSpan(`HTTP ${prepared.method}`, { kind: otel.SpanKind.CLIENT });
  if (span.isRecording()) {
    span.setAttribute('http.request.method', prepared.method);
    span.setAttribute('url.full', prepared.urlWithoutQuery);
  }
  const spanContext = span.spanContext();
  // Identity check first: the no-op tracer returns this constant, and the full check runs regexes.
  if (spanContext !== otel.INVALID_SPAN_CONTEXT && otel.isSpanContextValid(spanContext)) {
    otel.propagation.inject(otel.trace.setSpan(otel.context.active(), span), prepared.headers);
  }
  return span;
}

/** Records the outcome of the call (`failure` when it failed) and ends its span. */
export function endRequestSpan(span: Span, state: CallState, failure: AlmanacError | undefined): void {
  if (span.isRecording()) {
    if (failure !== undefined) {
      span.setAttribute('error.type', state.status !== undefined && state.status >= 400 ? String(state.status) : failure.code);
      span.setStatus({ code: openTelemetry().SpanStatusCode.ERROR, message: failure.message });
    }
    if (state.status !== undefined) span.setAttribute('http.response.status_code', state.status);
    if (state.sends > 1) span.setAttribute('http.request.resend_count', state.sends - 1);
  }
  span.end();
}
