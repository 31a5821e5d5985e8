export { normalizeDelay, type Clock, type TimerHandle } from './clock.ts';
export { RealClock } from './real-clock.ts';
export { SimulatedClock, type SimulatedClockOptions } from './simulated-clock.ts';
export { createClock, clockConfigSchema, simulatedNow, type ClockConfig } from './create-clock.ts';
