import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SnakeNamingStrategy } from './naming';
import { pgliteDriver } from './pglite-driver';
import { Db } from './tenant-db';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type for entity/migration lists
type Classes = MixedList<Function>;

/** PostgreSQL at DATABASE_URL, or the embedded PGlite under HALVE_DATA_DIR. Never `synchronize`. */
export function dataSourceOptions(config: AppConfig, entities: Classes, migrations: Classes): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false,
  };
  if (config.databaseUrl) {
    return { ...common, url: config.databaseUrl, poolSize: 10, applicationName: 'halve' };
  }
  const dataDir = config.dataDir.startsWith('memory://') ? 'memory://' : join(config.dataDir, 'pglite');
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  return { ...common, driver: pgliteDriver({ dataDir }), database: 'postgres' };
}

/** Runs pending migrations under an advisory lock, so an API and its workers can start together. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  // The embedded database belongs to one process: no lock needed (and its one connection could not hold one).
  if (isEmbedded(dataSource)) return (await dataSource.runMigrations({ transaction: 'each' })).map((m) => m.name);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(727274)');
    const done = await dataSource.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    await runner.release();
  }
}

export function isEmbedded(dataSource: DataSource): boolean {
  return !(dataSource.options as { url?: string }).url;
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(entities: Classes, migrations: Classes): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => dataSourceOptions(config, entities, migrations),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options as DataSourceOptions).initialize();
            await migrate(dataSource);
            return dataSource;
          },
        }),
      ],
      providers: [Db],
      exports: [Db],
    };
  }
}
