/** An error the user can fix by changing the command line: exit code 2, message only. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A declaration, request or file that is malformed; the message names the place. */
export class InputError extends Error {
  override name = 'InputError';
}
