/**
 * A problem the operator fixes (a bad command line, a missing tool, a refused request): the
 * commands print its message alone, without a stack trace.
 */
export class UsageError extends Error {}
