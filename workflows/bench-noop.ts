/**
 * Baseline for `npm run bench:votes`: the cheapest possible Temporal update.
 * The handler returns its argument at once (no activity, no state); the
 * workflow waits forever and the benchmark terminates it when it is done.
 * Deterministic: nothing here touches time, randomness or I/O.
 */
import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

export const benchNoopUpdate = defineUpdate<number, [number]>('benchNoop');

export async function benchNoopWorkflow(): Promise<void> {
  setHandler(benchNoopUpdate, (n: number) => n);
  await condition(() => false);
}
