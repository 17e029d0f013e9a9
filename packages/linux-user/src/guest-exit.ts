import { signalName } from './signal';

/**
 * The guest is gone: exit/exit_group (status = the low 8 bits), or a signal whose default
 * action kills (status = 128 + signo, as a shell reports it; `signal` set). `thread`: only
 * the calling thread ended (exit with other threads left).
 */
export class GuestExit extends Error {
  constructor(
    readonly status: number,
    readonly signal?: number,
    readonly thread = false,
    /** Killed by a signal whose default action dumped core (the wait status's 0x80 bit). */
    readonly core = false,
  ) {
    super(signal === undefined ? `guest exited with status ${status}` : `guest killed by ${signalName(signal)} (status ${status})`);
    this.name = 'GuestExit';
  }
}
