/**
 * How every benchmark runs: its main function raced against a time limit, its
 * clean-up (services it started, databases it made) always run, on Ctrl-C too;
 * the exit code is main's (0 ok, 1 a check failed), 2 on timeout, 130 on a signal.
 */
export function runBenchmark(main: () => Promise<number>, cleanup: () => Promise<void>, timeoutSeconds: number): void {
  const timeout = new Promise<number>((resolve) => {
    setTimeout(() => {
      console.error(`TIMEOUT: the benchmark did not finish within ${timeoutSeconds} s`);
      resolve(2);
    }, timeoutSeconds * 1000).unref();
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      console.error(`${sig}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  Promise.race([main(), timeout])
    .catch((err) => {
      console.error('benchmark failed:', err);
      return 1;
    })
    .then(async (code) => {
      await cleanup();
      process.exit(code);
    });
}
