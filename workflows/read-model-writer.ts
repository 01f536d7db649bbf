/**
 * One read-model write in flight per workflow, always of its latest state.
 *
 * Why: the store's version guard (`replaceOne({ version: { $lt: v } })`) is a
 * compare-and-set on MongoDB, but FerretDB v1 runs an update as a query and then
 * a write, so two writes of one document racing each other can land out of order
 * and a newer version be overwritten by an older one (seen in the vote benchmark:
 * a council's read model left at VOTING after it had decided). A workflow that
 * never has two writes of its read model in flight cannot race with itself; the
 * latest state wins because it is always written last. Writes asked for while one
 * is running are folded into the next one.
 *
 * Deterministic: plain promises and `condition`, no I/O of its own.
 */
import { condition } from '@temporalio/workflow';

export interface ReadModelWriter {
  /** Resolves once a snapshot at least as new as `version` has been written. */
  written(version: number): Promise<void>;
}

export function serialReadModelWriter<T extends { version: number }>(snapshot: () => T, write: (s: T) => Promise<unknown>): ReadModelWriter {
  let writtenVersion = 0;
  let dirty = false;
  let running = false;
  let failure: unknown;

  async function drain(): Promise<void> {
    running = true;
    try {
      while (dirty) {
        dirty = false;
        const s = snapshot();
        await write(s);
        writtenVersion = Math.max(writtenVersion, s.version);
      }
    } catch (err) {
      failure = err;
    } finally {
      running = false;
    }
  }

  return {
    async written(version: number) {
      dirty = true;
      if (!running) void drain();
      await condition(() => writtenVersion >= version || failure !== undefined);
      if (writtenVersion < version) throw failure;
    },
  };
}
