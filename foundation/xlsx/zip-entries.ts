// A zip file's table of contents, read from its central directory without
// inflating anything, and one entry inflated in bounded steps. Only what a workbook
// needs: no zip64, no encryption, stored or deflated entries. Every size is checked
// against the caps before a byte is inflated, and inflating stops as soon as an entry
// yields more than it declared (a lying header is hostile, not a reason to read on).

import { Inflate } from 'fflate';
import { FileLimitError } from '../file-limits';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

export interface ZipCaps {
  maxEntries: number;
  /** Sum of the declared unpacked sizes of every entry, read or not. */
  maxTotalUnpacked: number;
  /** Declared unpacked size / compressed size above which an entry is a bomb. */
  maxRatio: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function notZip(): FileLimitError {
  return new FileLimitError('limits.xlsx.not_zip', {});
}

/** The entries of the central directory, refused when any cap is passed. */
export function zipEntries(data: Uint8Array, caps: ZipCaps): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  // The end record is in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notZip();
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff) throw new FileLimitError('limits.xlsx.zip64', {});
  if (count > caps.maxEntries) throw new FileLimitError('limits.xlsx.entries', { n: count, max: caps.maxEntries });
  if (dirOffset + dirSize > data.length) throw notZip();
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = dirOffset;
  const decoder = new TextDecoder('utf-8');
  for (let i = 0; i < count; i++) {
    if (p + 46 > data.length || view.getUint32(p, true) !== CENTRAL) throw notZip();
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const localHeaderOffset = view.getUint32(p + 42, true);
    const name = decoder.decode(data.subarray(p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) throw new FileLimitError('limits.xlsx.encrypted', {});
    if (size === 0xffffffff || compressedSize === 0xffffffff) throw new FileLimitError('limits.xlsx.zip64', {});
    total += size;
    if (total > caps.maxTotalUnpacked)
      throw new FileLimitError('limits.xlsx.unpacked', { mb: mb(caps.maxTotalUnpacked), entry: name });
    if (size > 1024 * 1024 && size > Math.max(1, compressedSize) * caps.maxRatio)
      throw new FileLimitError('limits.xlsx.ratio', {
        entry: name,
        ratio: Math.round(size / Math.max(1, compressedSize)),
      });
    entries.push({ name, method, compressedSize, size, localHeaderOffset });
  }
  return entries;
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/**
 * Inflate one entry in 64 KB steps, handing each piece of output to `sink`; stops with
 * an error as soon as the output passes the entry's declared size or `maxSize`.
 */
export function inflateEntry(
  data: Uint8Array,
  entry: ZipEntry,
  maxSize: number,
  sink: (chunk: Uint8Array) => void,
): void {
  if (entry.size > maxSize) throw new FileLimitError('limits.xlsx.entry', { entry: entry.name, mb: mb(maxSize) });
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > data.length || view.getUint32(at, true) !== LOCAL) throw notZip();
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > data.length) throw notZip();
  const limit = Math.min(entry.size, maxSize);
  let produced = 0;
  const take = (chunk: Uint8Array) => {
    produced += chunk.length;
    if (produced > limit) throw new FileLimitError('limits.xlsx.entry_lies', { entry: entry.name });
    sink(chunk);
  };
  if (entry.method === 0) {
    take(data.subarray(start, end));
    return;
  }
  if (entry.method !== 8) throw notZip();
  const inflate = new Inflate((chunk) => take(chunk));
  const STEP = 64 * 1024;
  for (let p = start; p < end; p += STEP) inflate.push(data.subarray(p, Math.min(end, p + STEP)), p + STEP >= end);
  if (start === end) inflate.push(new Uint8Array(0), true);
}
