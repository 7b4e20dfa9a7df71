// Hostile variants of a real exported workbook (issue 23): each is the corona
// questionnaire as the app writes it, with one part changed the way an attacker
// would. Built with node:zlib and a small zip writer so the sizes in the zip are the
// true ones (the 1 GiB image really inflates to 1 GiB).

import zlib from 'node:zlib';
import { unzipSync } from 'fflate';

interface RawEntry {
  name: string;
  compressed: Buffer;
  size: number;
  crc: number;
}

function deflated(name: string, data: Buffer): RawEntry {
  return { name, compressed: zlib.deflateRawSync(data, { level: 6 }), size: data.length, crc: zlib.crc32(data) };
}

/** A zip of deflated entries with true sizes and checksums. */
export function zipOf(entries: RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.compressed.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(e.crc >>> 0, 16);
    dir.writeUInt32LE(e.compressed.length, 20);
    dir.writeUInt32LE(e.size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, e.compressed);
    central.push(dir, name);
    offset += 30 + name.length + e.compressed.length;
  }
  const dirSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...central, end]);
}

/** 1 GiB of zeros, deflated in 16 MiB steps (a few seconds, about 1 MB out, never 1 GiB in memory). */
async function zeroImage(name: string, gib = 1): Promise<RawEntry> {
  const chunk = Buffer.alloc(16 * 1024 * 1024);
  const steps = (gib * 1024) / 16;
  const stream = zlib.createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  stream.on('data', (part: Buffer) => parts.push(part));
  const ended = new Promise((resolve) => stream.on('end', resolve));
  let crc = 0;
  for (let i = 0; i < steps; i++) {
    crc = zlib.crc32(chunk, crc);
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  }
  stream.end();
  await ended;
  return { name, compressed: Buffer.concat(parts), size: gib * 1024 * 1024 * 1024, crc };
}

const SHEET = 'xl/worksheets/sheet1.xml';

function rebuilt(base: Buffer, change: (files: Map<string, Buffer>) => void, extra: RawEntry[] = []): Buffer {
  const files = new Map(Object.entries(unzipSync(base)).map(([k, v]) => [k, Buffer.from(v)]));
  change(files);
  return zipOf([...[...files].map(([name, data]) => deflated(name, data)), ...extra]);
}

function editSheet(files: Map<string, Buffer>, edit: (xml: string) => string): void {
  const xml = files.get(SHEET)?.toString('utf8');
  if (!xml) throw new Error(`no ${SHEET} in the exported workbook`);
  files.set(SHEET, Buffer.from(edit(xml), 'utf8'));
}

const repeat = (s: string, n: number) => s.repeat(n);

export type HostileKind =
  | 'col_billion'
  | 'merge_whole_sheet'
  | 'five_million_columns'
  | 'many_cells'
  | 'deep_nesting'
  | 'three_million_strings'
  | 'many_strings'
  | 'zero_image';

/** Each hostile workbook with the cap that stops it when the compression ratio is not checked. */
export const HOSTILE_KEYS: Record<HostileKind, string> = {
  col_billion: 'limits.xlsx.layout',
  merge_whole_sheet: 'limits.xlsx.layout',
  five_million_columns: 'limits.xlsx.columns',
  many_cells: 'limits.xlsx.cells',
  deep_nesting: 'limits.xlsx.depth',
  three_million_strings: 'limits.xlsx.shared_strings',
  many_strings: 'limits.xlsx.shared_strings',
  zero_image: 'limits.xlsx.unpacked',
};

export async function hostileWorkbook(base: Buffer, kind: HostileKind): Promise<Buffer> {
  switch (kind) {
    case 'col_billion':
      return rebuilt(base, (f) =>
        editSheet(f, (x) =>
          x.replace(/<cols>.*?<\/cols>|(?=<sheetData)/s, '<cols><col min="1" max="1000000000" width="9"/></cols>'),
        ),
      );
    case 'merge_whole_sheet':
      return rebuilt(base, (f) =>
        editSheet(f, (x) =>
          x.replace('</sheetData>', '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'),
        ),
      );
    case 'five_million_columns':
      return rebuilt(base, (f) =>
        editSheet(f, (x) =>
          x.replace('</sheetData>', `<row r="1000">${repeat('<c><v>1</v></c>', 5_000_000)}</row></sheetData>`),
        ),
      );
    case 'many_cells':
      return rebuilt(base, (f) =>
        editSheet(f, (x) => x.replace('</sheetData>', `<row r="1000">${repeat('<c/>', 600_000)}</row></sheetData>`)),
      );
    case 'deep_nesting':
      return rebuilt(base, (f) =>
        editSheet(f, (x) =>
          x.replace('</sheetData>', `</sheetData>${repeat('<x>', 2_000_000)}${repeat('</x>', 2_000_000)}`),
        ),
      );
    case 'three_million_strings':
    case 'many_strings':
      return rebuilt(base, (f) => {
        const n = kind === 'many_strings' ? 300_000 : 3_000_000;
        const name = [...f.keys()].find((k) => k.endsWith('sharedStrings.xml')) ?? 'xl/sharedStrings.xml';
        const xml = f.get(name)?.toString('utf8') ?? '';
        f.set(name, Buffer.from(xml.replace('</sst>', `${repeat('<si><t>a</t></si>', n)}</sst>`), 'utf8'));
      });
    case 'zero_image':
      return rebuilt(base, () => {}, [await zeroImage('xl/media/image1.png')]);
  }
}
