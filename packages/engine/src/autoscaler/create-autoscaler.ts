import { AbortedError, AlmanacError, ConfigError, ProviderError, TimeoutError, parse, silentLogger, systemClock } from '@almanac/core';
import { createOperationRunner } from '@almanac/core/kit';
import { type HpaRecommendation, createHpaRecommender } from '@almanac/oracle';
import { createContainers } from '../facade/create-containers';
import type { Containers } from '../facade/types';
import { CONTAINER_CAPABILITY_METHODS, type ContainerServiceProvider, type Service } from '../spec';
import { createPredictor } from './predictive';
import { autoscalerOptionsSchema, evaluateOptionsSchema, runOptionsSchema } from './schema';
import type { Autoscaler, AutoscalerDecision, AutoscalerEvent, AutoscalerOptions, AutoscalerReasonCode, AutoscalerRunOptions, AutoscalerRunSummary } from './types';

const METRIC_PERIOD_SECONDS = 60;

function isContainers(value: Containers | ContainerServiceProvider): value is Containers {
  return typeof (value as Containers).listServices === 'function' && typeof (value as Containers).provider === 'object';
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** Sentence for the recommender's reason. */
function explain(rec: HpaRecommendation, current: number, min: number, max: number): string | undefined {
  switch (rec.reason) {
    case 'stabilized':
      return `the stabilization window holds ${rec.stabilizedReplicas} (proposals in the window range up to it)`;
    case 'scale-up-limited':
      return `the scale-up policy allows at most ${rec.replicas} now (from ${current})`;
    case 'scale-down-limited':
      return `the scale-down policy allows at most down to ${rec.replicas} now (from ${current})`;
    case 'limited-by-max':
      return `capped at maxReplicas ${max}`;
    case 'limited-by-min':
      return `kept at minReplicas ${min}`;
    case 'within-tolerance':
      return 'within tolerance of the target: no change';
    default:
      return undefined;
  }
}

/**
 * Creates a target-tracking autoscaler for one container service on the oracle's Kubernetes-
 * compatible HPA recommender (stabilisation windows, rate policies), with cooldowns, optional
 * forecast-driven scale-up (`recommendCapacity`) and a dry run that is on by default.
 *
 * Guarantees: the desired count never leaves [minReplicas, maxReplicas] (a service at 0 tasks is
 * left alone, as Kubernetes does); a missing or failed metric never causes a scale-down; every
 * decision is reported to the logger, `onEvent`, `onAudit` and an OpenTelemetry span.
 */
export function createAutoscaler(options: AutoscalerOptions): Autoscaler {
  parse(autoscalerOptionsSchema, options, { operation: 'createAutoscaler', path: 'options' });
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const { cluster, service } = options.target;
  const min = options.minReplicas;
  const max = options.maxReplicas;
  const dryRun = options.dryRun ?? true;
  const upCooldownMs = (options.cooldown?.scaleUpSeconds ?? 60) * 1000;
  const downCooldownMs = (options.cooldown?.scaleDownSeconds ?? 300) * 1000;
  const maxAgeMs = (options.metricMaxAgeSeconds ?? 180) * 1000;
  const tolerance = options.tolerance ?? 0.1;
  const containers = isContainers(options.target.provider)
    ? options.target.provider
    : createContainers(options.target.provider, { clock, logger, ...(options.tracer === undefined ? {} : { tracer: options.tracer }) });
  const metric = options.metric;
  const metricName = typeof metric === 'string' ? metric : metric.name;
  const metricUnit = typeof metric === 'string' ? '%' : metric.unit === undefined ? '' : ` ${metric.unit}`;
  if (typeof metric === 'string' && !containers.supports('metrics')) {
    throw new ConfigError(`Provider "${containers.name}" has no service metrics; pass a metric source ({ name, read })`, [{ path: 'options.metric', message: 'needs the metrics capability' }], {
      provider: containers.name,
      operation: 'createAutoscaler',
    });
  }
  if (!dryRun && !containers.supports('scale')) {
    throw new ConfigError(`Provider "${containers.name}" cannot scale services`, [{ path: 'options.dryRun', message: 'this provider only supports dry runs' }], {
      provider: containers.name,
      operation: 'createAutoscaler',
    });
  }
  // Reads go to the provider inside the one `evaluate` operation (its deadline, error mapping and
  // span cover them; the inputs are this autoscaler's own, validated once above): a facade call
  // per read would double the per-evaluation cost. Scaling goes through the facade, so the change
  // itself is validated and audited like any other.
  const provider = containers.provider;
  const readServiceMetrics = (request: Parameters<NonNullable<ContainerServiceProvider['getServiceMetrics']>>[0]) =>
    (provider.getServiceMetrics as NonNullable<ContainerServiceProvider['getServiceMetrics']>).call(provider, request);
  // Validates `behavior` now (the oracle names the bad field) rather than at the first evaluation.
  const recommender = createHpaRecommender(options.behavior === undefined ? {} : { behavior: options.behavior });
  const predict = options.predictive === undefined ? undefined : createPredictor(options.predictive, { min, max });
  const runner = createOperationRunner({
    domain: 'autoscaler',
    provider: containers.provider,
    capabilityMethods: CONTAINER_CAPABILITY_METHODS,
    defaultTimeoutMs: 60_000,
    clock,
    logger,
    onAudit: options.onAudit,
    tracer: options.tracer,
  });

  let lastUpAt = Number.NEGATIVE_INFINITY;
  let lastChangeAt = Number.NEGATIVE_INFINITY;
  let primed = false;

  /**
   * A fresh recommender has no history, so it would scale down at its first sync (as a fresh
   * Kubernetes controller does): a restarted autoscaler could drop capacity at once. Recording the
   * current count as the first recommendation makes scale-down wait one stabilization window.
   */
  const prime = (now: number, current: number, ready: number) => {
    primed = true;
    if (current < min || current > max) return;
    recommender.recommend({ now, currentReplicas: current, readyPods: ready, metrics: [{ currentValue: 1, targetValue: 1 }], minReplicas: min, maxReplicas: max, tolerance });
  };

  const emit = (event: AutoscalerEvent) => {
    if (options.onEvent === undefined) return;
    try {
      options.onEvent(event);
    } catch (error) {
      logger.warn('autoscaler onEvent listener threw; ignored', { cluster, service, error });
    }
  };

  /** The latest metric value, or null with the reason it is missing. */
  const readMetric = async (now: number, described: Service, signal: AbortSignal): Promise<{ value: number | null; note?: string | undefined }> => {
    try {
      if (typeof metric !== 'string') {
        const value = await metric.read({ now: new Date(now), service: described, signal });
        return value === null || !Number.isFinite(value) ? { value: null, note: `${metricName} source returned no value` } : { value: Math.max(0, value) };
      }
      const [series] = await readServiceMetrics({
        cluster,
        service,
        metrics: [metric],
        range: { start: new Date(now - maxAgeMs), end: new Date(now + 1) },
        periodSeconds: METRIC_PERIOD_SECONDS,
        signal,
      });
      const last = series?.points[series.points.length - 1];
      if (last === undefined || last.at.getTime() < now - maxAgeMs) return { value: null, note: `no ${metricName} data in the last ${maxAgeMs / 1000} s` };
      return { value: last.value };
    } catch (error) {
      // Our own deadline or the caller's abort ends the evaluation; anything else is "no data".
      if (signal.aborted || AbortedError.isInstance(error) || TimeoutError.isInstance(error)) throw error;
      const code = AlmanacError.isInstance(error) ? error.code : 'error';
      return { value: null, note: `reading ${metricName} failed (${code})` };
    }
  };

  const decide = async (signal: AbortSignal, annotate: (a: Record<string, string | number | boolean | undefined>) => void): Promise<AutoscalerDecision> => {
    const now = clock.now();
    const described = await provider.getService({ cluster, service, signal });
    const current = described.desiredCount;
    const running = described.runningCount;
    const reasons: string[] = [];
    let desired = current;
    let code: AutoscalerReasonCode = 'unchanged';
    const { value, note } = await readMetric(now, described, signal);
    let predicted: number | undefined;

    if (current === 0) {
      code = 'scaling-disabled';
      reasons.push('the service is at 0 tasks: autoscaling is disabled until it is started (as in Kubernetes)');
    } else {
      const ready = Math.min(running, current);
      if (value !== null && ready > 0) {
        if (!primed) prime(now, current, ready);
        const rec = recommender.recommend({
          now,
          currentReplicas: current,
          readyPods: ready,
          metrics: [{ currentValue: value, targetValue: options.targetValue }],
          minReplicas: min,
          maxReplicas: max,
          tolerance,
        });
        desired = rec.replicas;
        code = rec.reason === 'metrics-unavailable' ? 'metrics-unavailable' : (rec.reason as AutoscalerReasonCode);
        reasons.push(
          `${metricName} ${fmt(value)}${metricUnit} vs target ${fmt(options.targetValue)}${metricUnit} on ${ready} ready of ${current} (ratio ${rec.ratio.toFixed(2)}) proposes ${rec.desiredReplicas}`,
        );
        const extra = explain(rec, current, min, max);
        if (extra !== undefined) reasons.push(extra);
      } else {
        // No evidence: hold, but still honour the bounds.
        desired = Math.min(max, Math.max(min, current));
        code = current < min ? 'below-min' : current > max ? 'above-max' : 'metrics-unavailable';
        reasons.push(`${note ?? `no ready tasks report ${metricName}`}: holding (missing metrics never scale down)`);
      }
      if (predict !== undefined) {
        try {
          const prediction = await predict(now, signal);
          if (prediction !== undefined) {
            predicted = prediction.replicas;
            if (prediction.replicas > desired) {
              desired = Math.min(max, prediction.replicas);
              code = 'predictive';
              reasons.unshift(prediction.reason);
            }
          }
        } catch (error) {
          if (signal.aborted) throw error;
          reasons.push(`forecast unavailable (${AlmanacError.isInstance(error) ? error.code : error instanceof Error ? error.message : 'error'})`);
        }
      }
      // Cooldowns never keep the count outside the bounds.
      if (desired > current && current >= min && now - lastUpAt < upCooldownMs) {
        reasons.unshift(`cooldown: last scale-up ${Math.round((now - lastUpAt) / 1000)} s ago (< ${upCooldownMs / 1000} s); would go to ${desired}`);
        desired = current;
        code = 'cooldown';
      } else if (desired < current && current <= max && now - lastChangeAt < downCooldownMs) {
        reasons.unshift(`cooldown: last scaling ${Math.round((now - lastChangeAt) / 1000)} s ago (< ${downCooldownMs / 1000} s); would go to ${desired}`);
        desired = current;
        code = 'cooldown';
      }
      desired = Math.min(max, Math.max(min, desired));
    }

    const decision: AutoscalerDecision['decision'] = desired > current ? 'scale_up' : desired < current ? 'scale_down' : 'hold';
    if (decision === 'scale_up' && code === 'unchanged') code = 'below-min';
    if (decision === 'scale_down' && code === 'unchanged') code = 'above-max';
    let applied = false;
    if (decision !== 'hold') {
      if (!dryRun) {
        await containers.scaleService({ cluster, service, desiredCount: desired, signal });
        applied = true;
      }
      lastChangeAt = now;
      if (decision === 'scale_up') lastUpAt = now;
      reasons.unshift(`${decision === 'scale_up' ? 'scale up' : 'scale down'} ${current} → ${desired}${dryRun ? ' (dry run: not applied)' : ''}`);
    } else {
      reasons.unshift(`hold at ${current}`);
    }
    const result: AutoscalerDecision = {
      decision,
      desired,
      current,
      running,
      code,
      reasons,
      metric: { name: metricName, value, target: options.targetValue },
      ...(predicted === undefined ? {} : { predicted }),
      applied,
      dryRun,
      at: new Date(now),
    };
    annotate({ decision, desired, current, code, applied, dryRun, metricValue: value ?? undefined });
    logger.info(`autoscaler ${decision}`, { cluster, service, current, desired, code, applied, dryRun, reason: reasons.join('; ') });
    emit({ type: 'decision', cluster, service, decision: result });
    return result;
  };

  const evaluate = (evaluateOptions?: { readonly signal?: AbortSignal | undefined }): Promise<AutoscalerDecision> =>
    runner.run('evaluate', evaluateOptions, evaluateOptionsSchema, (_input, context) => decide(context.signal, context.annotate), {
      idempotent: false,
      attributes: { cluster, service },
    });

  return Object.freeze({
    dryRun,
    evaluate,
    async run(runOptions: AutoscalerRunOptions): Promise<AutoscalerRunSummary> {
      const parsed = parse(runOptionsSchema, runOptions, { operation: 'run', path: 'options' });
      const signal = parsed.signal;
      let evaluations = 0;
      let scaleUps = 0;
      let scaleDowns = 0;
      let errors = 0;
      while (signal?.aborted !== true) {
        try {
          const decision = await evaluate(signal === undefined ? {} : { signal });
          evaluations++;
          if (decision.decision === 'scale_up') scaleUps++;
          if (decision.decision === 'scale_down') scaleDowns++;
        } catch (error) {
          if (signal?.aborted) break;
          errors++;
          // The runner maps every failure to an AlmanacError; the fallback only guards that contract.
          const mapped = AlmanacError.isInstance(error) ? error : new ProviderError('autoscaler evaluation failed', { operation: 'evaluate', cause: error });
          logger.warn('autoscaler evaluation failed; will retry at the next interval', { cluster, service, code: mapped.code, message: mapped.message });
          emit({ type: 'error', cluster, service, at: new Date(clock.now()), error: mapped });
        }
        try {
          await clock.sleep(parsed.intervalMs, signal);
        } catch {
          break;
        }
      }
      return { evaluations, scaleUps, scaleDowns, errors };
    },
  });
}
