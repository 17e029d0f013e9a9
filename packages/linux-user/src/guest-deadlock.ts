/** A single-threaded guest waiting on itself: Linux would block forever. */
export class GuestDeadlock extends Error {
  constructor(what: string) {
    super(`${what} would block forever: the guest is single-threaded and nobody else holds the other end`);
    this.name = 'GuestDeadlock';
  }
}
