// PGlite is single-process: two processes opening the same data directory would
// corrupt it. A lock file (created with O_EXCL) names the holder; a lock whose
// process is gone (crash, SIGKILL) is stale and taken over.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(
      `De database in ${dataDir} is in gebruik door een ander Impactmonitor-proces ` +
        `(pid ${holder.pid}, "${holder.command}", sinds ${holder.since}). ` +
        `De ingebouwde database (PGlite) kan maar door één proces tegelijk geopend worden. ` +
        `Stop dat proces eerst (bijvoorbeeld de server met Ctrl+C) en probeer het opnieuw, ` +
        `of gebruik PostgreSQL via DATABASE_URL zodat server en CLI samen kunnen werken.`,
    );
    this.name = 'DataDirLockedError';
  }
}

interface LockInfo {
  pid: number;
  host: string;
  command: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DataDirLock {
  release(): void;
}

export function lockDataDir(dataDir: string, command: string): DataDirLock {
  // Only the app's own user may read the database files and the outbox.
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'impactmonitor.lock');
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const current = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
          if (current.pid === process.pid) fs.unlinkSync(file);
        } catch {
          // already gone: nothing to release
        }
      };
      process.once('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: LockInfo | null = null;
      try {
        holder = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        holder = null; // half-written or unreadable: treat as stale
      }
      const stale = !holder || (holder.host === os.hostname() && !isAlive(holder.pid));
      if (!stale && holder) throw new DataDirLockedError(dataDir, holder);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Kon de vergrendeling van ${dataDir} niet verkrijgen.`);
}
