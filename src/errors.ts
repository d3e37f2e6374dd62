/** An error the user can fix by changing the command line: exit code 2, message only. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The machine cannot do what was asked (a native library not built, a results file that
 * cannot be written): exit code 1 with the message, which says what to do, and no stack trace.
 */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** A declaration, request or file that is malformed; the message names the place. */
export class InputError extends Error {
  override name = 'InputError';
}
