// A frame file uploaded on the web: its bytes stream into the database in chunks
// as they arrive (memory stays flat, no statement is large), then the file is read
// once for the preview, whose summary is stored with the upload. Showing the
// preview reads only that summary; the confirm step reads the chunks again to
// import (importFrame), which checks everything anew.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../foundation/db/schema';
import { type FramePreview, previewFrame } from './frame-import';
import type { FrameSummary } from './frame-reader';
import * as repo from './frame-repository';

type Db = Kysely<Database>;

/** What the preview page shows: the preview without the (large) set of ids. */
export interface StoredPreview extends Omit<FramePreview, 'summary'> {
  summary: Omit<FrameSummary, 'orgIds'>;
}

export interface StoredUpload {
  id: number;
  checksum: string;
  bytes: number;
}

/**
 * Store an uploaded file as it arrives. When the stream fails (too large, the
 * client went away) the partial upload is deleted and the error rethrown.
 */
export async function storeFrameUpload(
  db: Db,
  upload: { userId: number; fileName: string },
  stream: AsyncIterable<Buffer>,
): Promise<StoredUpload> {
  const id = await repo.createUpload(db, upload);
  const hash = createHash('sha256');
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let seq = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const chunk = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await repo.appendUploadChunk(db, id, seq++, chunk);
  };
  try {
    for await (const piece of stream) {
      hash.update(piece);
      pending.push(piece);
      pendingBytes += piece.length;
      bytes += piece.length;
      if (pendingBytes >= repo.UPLOAD_CHUNK_BYTES) await flush();
    }
    await flush();
  } catch (error) {
    await repo.deleteUpload(db, id);
    throw error;
  }
  return { id, checksum: hash.digest('hex'), bytes };
}

/** The stored bytes of an upload as a stream (for previewFrame and importFrame). */
export function openUpload(db: Db, uploadId: number): Readable {
  return Readable.from(repo.uploadContent(db, uploadId), { objectMode: false });
}

/** Read the stored file once, keep its preview with the upload and return it. */
export async function summariseUpload(
  db: Db,
  upload: { id: number; year: number; replace: boolean; checksum: string },
): Promise<StoredPreview> {
  const preview = await previewFrame(db, { open: () => openUpload(db, upload.id), year: upload.year });
  const { orgIds: _ids, ...summary } = preview.summary;
  const stored: StoredPreview = { ...preview, summary };
  await repo.finishUpload(db, upload.id, {
    year: upload.year,
    replace: upload.replace,
    checksum: upload.checksum,
    summary: stored,
  });
  return stored;
}
