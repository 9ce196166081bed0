/** A backend logger for bench workers: errors and warnings to stderr, nothing else. */
export const quietLogger = {
  error: (message: string) =>
    process.stderr.write(`  backend error: ${message}\n`),
  warn: (message: string) =>
    process.stderr.write(`  backend warning: ${message}\n`),
  info: () => {},
  debug: () => {},
  child() {
    return quietLogger;
  },
};
