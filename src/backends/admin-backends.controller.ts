import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { OperatorOnly } from '../core/auth/auth.decorators.js';
import { actorOf } from '../audit/index.js';
import { BackendsAdminService } from './backends-admin.service.js';
import { BackendList, BackendObject, CreateBackendDto, UpdateBackendDto } from './dto/backend.dto.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { adminBackendsDocs } from './admin-backends.docs.js';

@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/backends')
export class AdminBackendsController {
  constructor(private readonly backends: BackendsAdminService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation(adminBackendsDocs.adminCreateBackend)
  @ApiCreatedResponse({ type: BackendObject })
  @ProblemCodes('backend_url_forbidden')
  create(@Body() body: CreateBackendDto, @Req() req: Request): Promise<BackendObject> {
    return this.backends.create(actorOf(req), body);
  }

  @Get()
  @ApiOperation(adminBackendsDocs.adminListBackends)
  @ApiOkResponse({ type: BackendList })
  async list(): Promise<BackendList> {
    return { object: 'list', data: await this.backends.list(), has_more: false };
  }

  @Get(':id')
  @ApiOperation(adminBackendsDocs.adminGetBackend)
  @ApiOkResponse({ type: BackendObject })
  get(@Param('id') id: string): Promise<BackendObject> {
    return this.backends.get(id);
  }

  @Patch(':id')
  @ProblemCodes('backend_from_config', 'backend_url_forbidden')
  @ApiOperation(adminBackendsDocs.adminUpdateBackend)
  @ApiOkResponse({ type: BackendObject })
  update(@Param('id') id: string, @Body() body: UpdateBackendDto, @Req() req: Request): Promise<BackendObject> {
    return this.backends.update(actorOf(req), id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ProblemCodes('backend_from_config')
  @ApiOperation(adminBackendsDocs.adminDeleteBackend)
  @ApiNoContentResponse()
  async remove(@Param('id') id: string, @Req() req: Request): Promise<void> {
    await this.backends.remove(actorOf(req), id);
  }
}
