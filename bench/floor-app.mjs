// The floor: a bare NestJS 12 + Express app doing nothing, started in the same run as the service so
// every scenario is compared with what the framework alone does on this machine at this moment.
//   node bench/floor-app.mjs <port>   (prints "listening" when ready)
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

class FloorController {
  live() {
    return { status: 'ok' };
  }

  echo(body) {
    return { id: 'floor', object: 'video', status: 'queued', prompt: body?.prompt ?? null };
  }
}
// Decorators applied by hand: this file runs as plain JavaScript, without a compile step.
const method = (name) => Object.getOwnPropertyDescriptor(FloorController.prototype, name);
Get('live')(FloorController.prototype, 'live', method('live'));
Post('echo')(FloorController.prototype, 'echo', method('echo'));
HttpCode(202)(FloorController.prototype, 'echo', method('echo'));
Body()(FloorController.prototype, 'echo', 0);
Controller('health')(FloorController);

class FloorModule {}
Module({ controllers: [FloorController] })(FloorModule);

const app = await NestFactory.create(FloorModule, { logger: ['error'] });
await app.listen(Number(process.argv[2] ?? 0), '127.0.0.1');
process.stdout.write(`listening ${await app.getUrl()}\n`);
