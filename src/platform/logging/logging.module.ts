import { Module, type DynamicModule, type LogLevel } from '@nestjs/common';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { loggerParams, pinoLevelOf, type ProcessRole } from './logger-params.js';

/** Structured logs for one role; `levels` narrows them the way Nest's `logger: [...]` option does (tests). */
@Module({})
export class LoggingModule {
  static forRole(role: ProcessRole, levels?: LogLevel[] | false): DynamicModule {
    const useFactory = () => {
      // nestjs-pino builds its root logger once per process and keeps it for every later app: a
      // process that starts several apps (a test restarting its API, or starting a second one) gets
      // the level of the newest.
      if (PinoLogger.root) PinoLogger.root.level = pinoLevelOf(levels);
      return loggerParams(role, levels);
    };
    return { module: LoggingModule, imports: [LoggerModule.forRootAsync({ useFactory })], exports: [LoggerModule] };
  }
}
