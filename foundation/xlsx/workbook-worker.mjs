// The worker that reads a workbook (read-workbook.ts starts one per file): a hostile
// file can cost at most this thread's heap and time, never the server's.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { readWorkbookRows } = await import('./workbook-rows.ts');
const { FileLimitError } = await import('../file-limits.ts');
try {
  const sheets = readWorkbookRows(workerData.data, workerData.sheetNames, workerData.limits);
  parentPort.postMessage({ ok: true, sheets });
} catch (error) {
  parentPort.postMessage(
    error instanceof FileLimitError
      ? { ok: false, key: error.key, params: error.params }
      : { ok: false, key: 'limits.xlsx.not_zip', params: {}, detail: String(error?.message ?? error) },
  );
}
