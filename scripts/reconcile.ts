/**
 * `npm run reconcile [-- --dry-run] [--query "<visibility query>"]`: compares every task's
 * read models with its workflow's state and rewrites what drifted; prints what it repaired.
 * Exit code 0 when everything was (or now is) in sync, 1 when something could not be read
 * or, in a dry run, when something drifted.
 */
import { parseArgs } from 'node:util';
import { formatReconcileReport, reconcileReadModels } from '../activities/portfolio/reconcile';
import { openCliEnv, runCli } from './cli-env';

runCli(async () => {
  const { values } = parseArgs({ options: { 'dry-run': { type: 'boolean', default: false }, query: { type: 'string' } }, strict: true, allowPositionals: false });
  const env = await openCliEnv();
  try {
    const report = await reconcileReadModels(env, {
      dryRun: values['dry-run'],
      ...(values.query ? { query: values.query } : {}),
      onProgress: (n) => {
        if (process.stderr.isTTY) process.stderr.write(`\r${n} workflow đã đối soát…`);
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.log(formatReconcileReport(report));
    return report.unreadable.length || (report.dryRun && report.repairs.length) ? 1 : 0;
  } finally {
    await env.close();
  }
});
