export * from './bcd';
export * from './cc-op';
export * from './cpu-models';
export * from './eflags';
export * from './fpu/softfloat';
export * from './fpu/x87-desc';
export * from './fpu/x87-ops';
export * from './fpu/x87-state';
