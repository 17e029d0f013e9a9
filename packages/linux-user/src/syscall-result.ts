/** A handler's result that tells the dispatcher to leave eax alone (sigreturn restored it). */
export const NO_RESULT = 2 ** 32;
/** A handler's result when the call blocked (it threw WouldBlock under a GuestTree). */
export const BLOCKED = 2 ** 32 + 1;
