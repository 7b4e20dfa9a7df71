// Multipart uploads, streamed with busboy and size-limited. The form puts `_csrf`
// before the file input, so the token is checked before any file byte is read;
// a file that arrives first, or a wrong token, is refused with 403.
//
// The file is never held in memory: `receive` gets it as a stream (and stores it
// as it arrives). A body that is too large gives 413 without being read to the
// end: at once when Content-Length says so, else as soon as the file passes the
// limit; the route then answers with `Connection: close` (see closeAfterResponse).
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { csrfTokenMatches } from './csrf';
import { HttpError } from './http-error';

export interface UploadResult<T> {
  fields: Record<string, string>;
  file: T | null;
}

export interface UploadOptions<T> {
  limitBytes: number;
  fileField: string;
  /** Consume the file stream; it fails (throws) when the file passes the limit or the client goes away. */
  receive: (stream: Readable, fileName: string) => Promise<T>;
  /** Undo a received file when the request fails after all (e.g. a later part is refused). */
  discard: (file: T) => Promise<void>;
}

/** Room for the form fields and multipart boundaries next to the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

function tooLarge(limitBytes: number) {
  return new HttpError(413, 'frame.file_too_large', { max: Math.round(limitBytes / 1024 / 1024) });
}

export function readUpload<T>(req: Request, options: UploadOptions<T>): Promise<UploadResult<T>> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.limitBytes + MULTIPART_OVERHEAD_BYTES) {
      reject(tooLarge(options.limitBytes));
      return;
    }
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
    let received: Promise<T> | null = null;
    let failed: HttpError | null = null;
    let settled = false;
    const fail = (error: HttpError) => {
      if (!failed) failed = error;
    };
    // Settle only once the receiver is done (stored, or cleaned up after a failure).
    const settle = async (error: HttpError | null) => {
      if (settled) return;
      settled = true;
      let file: T | null = null;
      let receiveError: unknown = null;
      if (received) {
        try {
          file = await received;
        } catch (e) {
          receiveError = e;
        }
      }
      if (error) {
        if (file !== null) await options.discard(file);
        reject(error);
      } else if (receiveError) reject(receiveError);
      else resolve({ fields, file });
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
      if (failed || name !== options.fileField || !info.filename || received) {
        stream.resume();
        return;
      }
      stream.on('limit', () => {
        // Stop reading the request: the rest of the body is never taken in.
        fail(tooLarge(options.limitBytes));
        req.unpipe(parser);
        req.pause();
        stream.destroy(new Error('upload too large'));
        void settle(failed);
      });
      received = options.receive(stream, info.filename);
      received.catch(() => {}); // handled in settle
    });
    parser.on('error', () => {
      fail(new HttpError(400, 'error.bad_request'));
      void settle(failed);
    });
    parser.on('close', () => {
      if (!csrfChecked) fail(new HttpError(403, 'error.csrf'));
      void settle(failed);
    });
    req.pipe(parser);
  });
}

/**
 * For a 413 (or any answer given before the body was read): tell the client the
 * connection ends with this response, and close it once the response is out, so
 * the rest of the body is never read.
 */
export function closeAfterResponse(req: Request, res: Response): void {
  res.set('Connection', 'close');
  res.on('finish', () => {
    req.unpipe();
    req.socket.end();
    // A client that keeps sending cannot hold the socket open.
    setTimeout(() => req.socket.destroy(), 1000).unref();
  });
}
