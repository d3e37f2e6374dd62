/**
 * Ctrl-C and SIGTERM while namespaces exist: close every driver (each tears its chain down and
 * reaps everything at end of input), then leave with 128 + the signal's number. A second signal
 * leaves at once; the drivers still see end of input when we are gone.
 */
import { constants } from 'node:os';

export async function closingOnSignal<T>(close: () => Promise<void>, body: () => Promise<T>): Promise<T> {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = 128 + (constants.signals[signal] ?? 15);
    if (closing) process.exit(code);
    closing = true;
    process.stderr.write(`\nclonebench: ${signal}: tearing the namespaces down\n`);
    close().finally(() => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await body();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!closing) await close();
  }
}
