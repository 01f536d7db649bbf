/**
 * Determinism guard: every recorded history under test/replay/histories is
 * replayed against the current workflow code. A change that would break a task
 * already running in production fails here; ship such changes behind patched().
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { codecFromConfig } from '../../activities/payload-codec';
import { workflowBundle } from '../support/stack';
import { TEST_CODEC_KEYS } from '../support/codec-keys';

const dir = join(__dirname, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

test('there are recorded histories to replay', () => {
  expect(files.length).toBeGreaterThan(0);
});

// Issue 15: replayed through the worker's payload codec, as production replays them: histories
// recorded before encryption decode as they are, those recorded since with the fixed test keys.
const codec = codecFromConfig(TEST_CODEC_KEYS, { opensBallots: true })!;

test.each(files)('replays %s without nondeterminism', async (file) => {
  const history = historyFromJSON(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: { payloadCodecs: [codec] } }, history, file.replace(/\.json$/, ''));
});
