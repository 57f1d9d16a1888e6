import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorOnly } from '../core/auth/auth.decorators.js';
import { actorOf } from '../audit/index.js';
import { BackendsAdminService } from './backends-admin.service.js';
import { BackendList, BackendObject, CreateBackendDto, UpdateBackendDto } from './dto/backend.dto.js';

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/backends')
export class AdminBackendsController {
  constructor(private readonly backends: BackendsAdminService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a GPU backend', operationId: 'adminCreateBackend' })
  @ApiCreatedResponse({ type: BackendObject })
  create(@Body() body: CreateBackendDto, @Req() req: Request): Promise<BackendObject> {
    return this.backends.create(actorOf(req), body);
  }

  @Get()
  @ApiOperation({ summary: 'The routing table: every backend with its live state (health, circuit, slots in use)', operationId: 'adminListBackends' })
  @ApiOkResponse({ type: BackendList })
  async list(): Promise<BackendList> {
    return { object: 'list', data: await this.backends.list(), has_more: false };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a backend with its live state', operationId: 'adminGetBackend' })
  @ApiOkResponse({ type: BackendObject })
  get(@Param('id') id: string): Promise<BackendObject> {
    return this.backends.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a registered backend (config backends are read-only)', operationId: 'adminUpdateBackend' })
  @ApiOkResponse({ type: BackendObject })
  update(@Param('id') id: string, @Body() body: UpdateBackendDto, @Req() req: Request): Promise<BackendObject> {
    return this.backends.update(actorOf(req), id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a registered backend; calls already running on it finish', operationId: 'adminDeleteBackend' })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string, @Req() req: Request): Promise<void> {
    await this.backends.remove(actorOf(req), id);
  }
}
