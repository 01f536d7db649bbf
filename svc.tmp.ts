import { writeFileSync } from 'node:fs';
import { startFerretdb, startTemporalDevServer } from './test/support/services';
(async () => {
  const [m, t] = await Promise.all([startFerretdb(), startTemporalDevServer()]);
  writeFileSync('/tmp/pf/svc.env', `MONGODB_URI=${m.uri}khcn_cli_smoke\nTEMPORAL_ADDRESS=${t.address}\nTEMPORAL_TASK_QUEUE=cli-smoke\n`);
  console.log('ready', m.uri, t.address, m.child.pid, t.child.pid);
  const stop = () => { m.child.kill('SIGTERM'); t.child.kill('SIGKILL'); process.exit(0); };
  process.on('SIGTERM', stop); process.on('SIGINT', stop);
  setInterval(() => {}, 1 << 30);
})();
