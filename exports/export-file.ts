// A file that leaves the tool as a download: its name, its content type and its content.

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export interface ExportFile {
  fileName: string;
  contentType: string;
  content: string | Buffer;
}
