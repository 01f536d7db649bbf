// What `npm test` prints around jest. CI reads the run's last line, `N passed, N failed`
// (`, N skipped` may follow), and takes a pytest-style closing line anywhere in the output
// ('==== 2 warnings in 92.15s ====', as schemathesis prints) for a pytest run of its own.

/** A pytest-style closing line: a rule of '=' around a summary that ends 'in <seconds>s'. */
export const PYTEST_CLOSING_LINE = /^\s*=+ .* in [\d.]+\s*s(econds)?\b.* =+\s*$/;

/** Keeps a tool's summary readable without its rule of '=' (CI must not take it for a run of its own). */
export function neutralise(line) {
  return PYTEST_CLOSING_LINE.test(line) ? line.replace(/^\s*=+\s*/, '[tool summary] ').replace(/\s*=+\s*$/, '') : line;
}

/** The last line of every `npm test`: the counts of every runner, added up once. */
export function closingLine({ passed, failed, skipped }) {
  return `jest: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}

/** Copies a stream to `out` line by line, neutralising closing lines of other runners. */
export function pipeLines(stream, out) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop() ?? '';
    if (lines.length) out.write(lines.map(neutralise).join('\n') + '\n');
  });
  return new Promise((resolve) =>
    stream.on('end', () => {
      if (rest) out.write(neutralise(rest));
      resolve();
    }),
  );
}
