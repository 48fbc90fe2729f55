import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '@halve/platform';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
  if (!config.redisUrl) {
    console.error(
      'Invalid configuration: REDIS_URL must be set for the worker (without Redis, the API runs jobs in-process).',
    );
    process.exit(78);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config));
  app.enableShutdownHooks();
  console.log('Halve worker is processing jobs from Redis');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
