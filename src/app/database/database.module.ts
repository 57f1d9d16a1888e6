import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { databaseEnv } from '../../platform/database/database.env.js';
import { dataSourceOptions } from './data-source-options.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: () => {
        const env = databaseEnv.get();
        return dataSourceOptions(env.DATABASE_URL, {
          poolMax: env.DATABASE_POOL_MAX,
          ssl: env.DATABASE_SSL,
          logging: env.DATABASE_LOG_QUERIES,
        });
      },
    }),
  ],
})
export class DatabaseModule {}
