// Sending a rendered file (exports/export-file.ts) as a download.
import type { Response } from 'express';
import type { ExportFile } from '../../exports/export-file';

export function sendDownload(res: Response, file: ExportFile): void {
  res.type(file.contentType).attachment(file.fileName).send(file.content);
}
