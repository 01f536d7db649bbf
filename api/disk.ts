/**
 * Issue 17: the disk that holds the data directory (DATA_DIR): its size, what is free, and whether
 * it is low (less than DISK_WARN_FREE_PERCENT or DISK_WARN_FREE_MB free). Read with statfs at each
 * check: no state, nothing written. The path itself is never reported (GET /health is public).
 */
import { statfs } from 'node:fs/promises';
import type { Config } from '../activities/config';

export interface DiskUse {
  status: 'ok' | 'low';
  totalBytes: number;
  freeBytes: number;
  /** Share of the disk in use, in whole percent (rounded down). */
  usedPercent: number;
}

export interface DiskUnknown {
  status: 'unknown';
  error: string;
}

type DiskConfig = Pick<Config, 'DATA_DIR' | 'DISK_WARN_FREE_PERCENT' | 'DISK_WARN_FREE_MB'>;

/** Whether a disk with `freeBytes` of `totalBytes` free is low under the configured thresholds. */
export function diskLow(freeBytes: number, totalBytes: number, config: Omit<DiskConfig, 'DATA_DIR'>): boolean {
  return freeBytes * 100 < totalBytes * config.DISK_WARN_FREE_PERCENT || freeBytes < config.DISK_WARN_FREE_MB * 1024 * 1024;
}

/** The data directory's disk, or undefined when DATA_DIR is not set. */
export async function diskUse(config: DiskConfig): Promise<DiskUse | DiskUnknown | undefined> {
  if (!config.DATA_DIR) return undefined;
  try {
    const s = await statfs(config.DATA_DIR);
    const totalBytes = s.blocks * s.bsize;
    const freeBytes = s.bavail * s.bsize;
    const usedPercent = totalBytes > 0 ? Math.min(100, Math.floor(((totalBytes - freeBytes) * 100) / totalBytes)) : 0;
    return { status: diskLow(freeBytes, totalBytes, config) ? 'low' : 'ok', totalBytes, freeBytes, usedPercent };
  } catch (err) {
    return { status: 'unknown', error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}
