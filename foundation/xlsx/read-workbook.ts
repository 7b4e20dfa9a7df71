// Read a workbook's rows in a worker thread with a heap cap and a time limit
// (WORKBOOK_LIMITS): whatever the file does, the server's event loop and heap are
// untouched, and the worker's memory is gone when it ends. The one way into
// workbook-rows.ts for the web and the CLI alike.

import { Worker } from 'node:worker_threads';
import { FileLimitError, WORKBOOK_LIMITS, type WorkbookLimits } from '../file-limits';
import type { WorkbookSheet } from './workbook-rows';

export type { WorkbookCell, WorkbookRow, WorkbookSheet } from './workbook-rows';

type Reply =
  | { ok: true; sheets: WorkbookSheet[] }
  | { ok: false; key: string; params: Record<string, string | number> };

/**
 * The rows of the named sheets (trimmed, lower case; null: every sheet). Throws
 * FileLimitError (key `limits.xlsx.*`) when the file passes a cap, is not a
 * workbook, or its parse runs out of the worker's memory or time.
 */
export function readWorkbook(
  data: Uint8Array,
  sheetNames: readonly string[] | null,
  limits: Readonly<WorkbookLimits> = WORKBOOK_LIMITS,
): Promise<WorkbookSheet[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./workbook-worker.mjs', import.meta.url), {
      workerData: { data, sheetNames, limits },
      resourceLimits: {
        maxOldGenerationSizeMb: limits.workerHeapMb,
        maxYoungGenerationSizeMb: 16,
        stackSizeMb: 4,
      },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        finish(() => reject(new FileLimitError('limits.xlsx.time', { seconds: Math.round(limits.workerMs / 1000) }))),
      limits.workerMs,
    );
    worker.on('message', (reply: Reply) =>
      finish(() => (reply.ok ? resolve(reply.sheets) : reject(new FileLimitError(reply.key, reply.params)))),
    );
    worker.on('error', (error: Error & { code?: string }) =>
      finish(() =>
        reject(
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new FileLimitError('limits.xlsx.memory', { mb: limits.workerHeapMb })
            : error,
        ),
      ),
    );
    worker.on('exit', () =>
      finish(() => reject(new FileLimitError('limits.xlsx.memory', { mb: limits.workerHeapMb }))),
    );
  });
}
