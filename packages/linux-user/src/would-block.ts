/**
 * A system call that cannot complete now (read from an empty pipe, write to a full one,
 * wait4 with no child to report, a wait for a signal or a time): the calling thread sleeps.
 * Under a GuestTree the scheduler runs other guests and retries the call later, and wakes it
 * at `until` (monotonic ns) when nothing else can run; a lone process has nobody to wake it
 * but timers and signals from outside.
 */
export class WouldBlock extends Error {
  constructor(
    readonly what: string,
    readonly until?: bigint,
    /** Undoes what the call registered to be woken (a futex waiter) if it is abandoned (EINTR, exit). */
    readonly cancel?: () => void,
    /** The call waits for a signal (a signal from outside dbtlab may end it). */
    readonly forSignal = false,
    /** The call's result when a signal ends the wait: -EINTR unless it already did part of its work (a count). */
    readonly interrupted?: () => number,
    /** The call waits for the host too (a FIFO whose other end may be a host process): it is looked at again on the host's clock. */
    readonly onHost = false,
    /**
     * The kernel's -ERESTARTSYS: a signal whose handler has SA_RESTART makes the call run again
     * once the handler returns (without SA_RESTART: EINTR). Else EINTR whatever the handler.
     */
    readonly restart = false,
  ) {
    super(`${what} would block`);
    this.name = 'WouldBlock';
  }
}
