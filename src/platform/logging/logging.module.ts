import { Module, type DynamicModule, type LogLevel } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams, type ProcessRole } from './logger-params.js';

/** Structured logs for one role; `levels` narrows them the way Nest's `logger: [...]` option does (tests). */
@Module({})
export class LoggingModule {
  static forRole(role: ProcessRole, levels?: LogLevel[] | false): DynamicModule {
    return { module: LoggingModule, imports: [LoggerModule.forRootAsync({ useFactory: () => loggerParams(role, levels) })], exports: [LoggerModule] };
  }
}
