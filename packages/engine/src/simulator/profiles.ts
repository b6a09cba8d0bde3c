import { uniformAt } from './rng';
import type { SimulatorLoadPreset, SimulatorLoadProfile, SimulatorServiceLoad } from './types';

const MB = 1_000_000;

const PRESETS: Readonly<Record<SimulatorLoadPreset, SimulatorLoadProfile>> = {
  idle: {
    cpuBase: 0.5,
    cpuAmplitude: 0.5,
    cpuNoise: 0.2,
    peakHourUtc: 14,
    memoryBase: 12,
    memoryAmplitude: 1,
    networkInBytesPerMinute: 2_000,
    networkOutBytesPerMinute: 1_000,
    diskReadOpsPerMinute: 1,
    diskWriteOpsPerMinute: 2,
  },
  light: {
    cpuBase: 4,
    cpuAmplitude: 8,
    cpuNoise: 1,
    peakHourUtc: 14,
    memoryBase: 25,
    memoryAmplitude: 5,
    networkInBytesPerMinute: 5 * MB,
    networkOutBytesPerMinute: 8 * MB,
    diskReadOpsPerMinute: 300,
    diskWriteOpsPerMinute: 600,
  },
  steady: {
    cpuBase: 20,
    cpuAmplitude: 25,
    cpuNoise: 2.5,
    peakHourUtc: 14,
    memoryBase: 45,
    memoryAmplitude: 10,
    networkInBytesPerMinute: 30 * MB,
    networkOutBytesPerMinute: 60 * MB,
    diskReadOpsPerMinute: 2_000,
    diskWriteOpsPerMinute: 3_000,
  },
  busy: {
    cpuBase: 45,
    cpuAmplitude: 35,
    cpuNoise: 4,
    peakHourUtc: 14,
    memoryBase: 60,
    memoryAmplitude: 20,
    networkInBytesPerMinute: 120 * MB,
    networkOutBytesPerMinute: 200 * MB,
    diskReadOpsPerMinute: 8_000,
    diskWriteOpsPerMinute: 12_000,
  },
};

/**
 * The profile of an instance: a preset, or overrides over a `steady` profile whose levels are
 * varied per instance (±30 %, peak hour ±2 h) from its noise key, so a fleet is not identical.
 */
export function loadProfile(load: SimulatorLoadPreset | Partial<SimulatorLoadProfile> | undefined, key: number): SimulatorLoadProfile {
  if (typeof load === 'string') return PRESETS[load];
  const base = PRESETS.steady;
  const scale = 0.7 + 0.6 * uniformAt(key, -1);
  const varied: SimulatorLoadProfile = {
    ...base,
    cpuBase: base.cpuBase * scale,
    cpuAmplitude: base.cpuAmplitude * scale,
    peakHourUtc: base.peakHourUtc - 2 + 4 * uniformAt(key, -2),
    networkInBytesPerMinute: base.networkInBytesPerMinute * scale,
    networkOutBytesPerMinute: base.networkOutBytesPerMinute * scale,
  };
  return { ...varied, ...(load ?? {}) };
}

/** Default demand of a service, overridden field by field. */
export function serviceLoad(load: Partial<SimulatorServiceLoad> | undefined): SimulatorServiceLoad {
  return { baseRps: 100, amplitude: 0.5, peakHourUtc: 14, noise: 0.05, rpsPerTask: 50, memoryPercent: 40, ...(load ?? {}) };
}

/** Presets, for documentation and tests. */
export function loadPreset(name: SimulatorLoadPreset): SimulatorLoadProfile {
  return PRESETS[name];
}
