// Multipart uploads, streamed with busboy and size-limited. The form puts `_csrf`
// before the file input, so the token is checked before any file byte is read;
// a file that arrives first, or a wrong token, is refused with 403.
import busboy from 'busboy';
import type { Request } from 'express';
import { csrfTokenMatches } from './csrf';
import { HttpError } from './http-error';

export interface UploadedFile {
  name: string;
  content: Buffer;
}

export interface UploadResult {
  fields: Record<string, string>;
  file: UploadedFile | null;
}

export function readUpload(req: Request, options: { limitBytes: number; fileField: string }): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: options.limitBytes, files: 1, fields: 20, fieldSize: 10_000 },
      });
    } catch {
      reject(new HttpError(400, 'error.bad_request'));
      return;
    }
    const fields: Record<string, string> = {};
    let csrfChecked = false;
    let file: UploadedFile | null = null;
    let failed: HttpError | null = null;
    const fail = (error: HttpError) => {
      if (!failed) failed = error;
    };

    parser.on('field', (name, value) => {
      if (name === '_csrf') {
        csrfChecked = csrfTokenMatches(req, value);
        if (!csrfChecked) fail(new HttpError(403, 'error.csrf'));
        return;
      }
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (!csrfChecked) fail(new HttpError(403, 'error.csrf'));
      if (failed || name !== options.fileField) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () =>
        fail(new HttpError(413, 'frame.file_too_large', { max: Math.round(options.limitBytes / 1024 / 1024) })),
      );
      stream.on('close', () => {
        if (!failed && info.filename) file = { name: info.filename, content: Buffer.concat(chunks) };
      });
    });
    parser.on('error', () => reject(new HttpError(400, 'error.bad_request')));
    parser.on('close', () => {
      if (!csrfChecked) fail(new HttpError(403, 'error.csrf'));
      if (failed) reject(failed);
      else resolve({ fields, file });
    });
    req.pipe(parser);
  });
}
