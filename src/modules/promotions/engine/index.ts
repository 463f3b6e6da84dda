export * from './types';
export { compileRules, evaluate, evaluatePromotions } from './evaluate';
export type { CompiledRules, CompiledPromotion, EvaluateOptions } from './evaluate';
export { compileCondition, RuleCompileError } from './conditions';
export { allocate } from './state';
export { localTime, dateKey, minuteOfDay, zoneOffsetMs } from './local-time';
export type { LocalTime } from './local-time';
