import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import {
  ConfigError,
  DEMO_EMAIL,
  DEMO_PASSWORD,
  StartupService,
  configureApp,
  loadConfig,
} from '@halve/platform';
import { CertificationDemoSeeder, DEMO_CERTIFIER_EMAIL, DEMO_CERTIFIER_PASSWORD } from '@halve/certification';
import { ApiModule } from './app.module';

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
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(config), {
    bodyParser: false,
    bufferLogs: true,
  });
  configureApp(app, config);
  await app.init();
  const startup = await app.get(StartupService).run();
  // The demo claims wait for the imports in the background; a restart finishes what a stop left.
  if (startup.demoOrgId) await app.get(CertificationDemoSeeder).resume();
  await app.listen(config.port);
  console.log(
    `Halve is serving on http://localhost:${config.port} (API docs: /api/docs; database: ${config.databaseUrl ? 'PostgreSQL' : 'embedded PGlite in ' + config.dataDir}; jobs: ${config.redisUrl ? 'BullMQ' : 'in-process'})`,
  );
  if (startup.demoOrgId) {
    console.log(`Demo organisation: log in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
    console.log(`Demo certifier: log in as ${DEMO_CERTIFIER_EMAIL} / ${DEMO_CERTIFIER_PASSWORD}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
