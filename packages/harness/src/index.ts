export { main } from './cli';
export { runGuest, type GuestRunOptions, type GuestRunResult } from './run-guest';
export { runCaptured } from './capture';
export { createScheme, RUNTIME_NAMES } from './runtimes';
export * from './workloads';
export * from './csv';
export { renderSvg } from './render-svg';
