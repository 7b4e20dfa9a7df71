import { type DatabaseHandle, openDatabase } from '../../foundation/db/database';
import { migrateToLatest } from '../../foundation/db/migrate';
import { refreshStatistics } from '../../foundation/db/statistics';
import type { AppConfig } from '../config';
import { pgliteDir } from '../config';

/** Open the configured database (taking the PGlite lock) and bring its schema up to date. */
export async function openMigrated(config: AppConfig, command: string): Promise<DatabaseHandle> {
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: pgliteDir(config),
    lockDir: config.dataDir,
    command,
  });
  try {
    await migrateToLatest(handle.db);
    await refreshStatistics(handle.db);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}
