/** A handler's result that tells the dispatcher to leave eax alone (sigreturn restored it). */
export const NO_RESULT = 2 ** 32;
