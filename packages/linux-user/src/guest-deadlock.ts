/** Guests waiting on each other (or a lone one on itself): Linux would block forever. */
export class GuestDeadlock extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuestDeadlock';
  }
}
