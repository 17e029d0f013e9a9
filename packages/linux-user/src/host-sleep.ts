/** Blocks this (the guest's only) thread for `ms` milliseconds, as a blocking system call would. */
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export function hostSleepMs(ms: number): void {
  if (ms > 0) Atomics.wait(sleepCell, 0, 0, ms);
}
