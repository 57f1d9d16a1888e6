import { Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentTenant, Scopes } from '../core/auth/auth.decorators.js';
import type { Principal } from '../core/auth/principal.js';
import { ProblemException } from '../platform/http/problem.js';
import { FilesService, presentFile } from './files.service.js';
import { AcceptsBody } from '../platform/http/request-body.js';
import { appEnv } from '../platform/config/app.env.js';
import { filesEnv } from './files.env.js';
import { actorOf } from '../audit/index.js';

@ApiTags('files')
@ApiBearerAuth()
@Controller('v1/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @HttpCode(201)
  @Scopes('files:write')
  @AcceptsBody({ jsonMaxBytes: () => appEnv.get().JSON_BODY_MAX_BYTES, multipart: { field: 'file', fileMaxBytes: () => filesEnv.get().IMAGE_MAX_BYTES } })
  @ApiOperation({ summary: 'Upload an image (PNG, JPEG or WebP) to use as a video start frame', operationId: 'createFile' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  async upload(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Req() req: Request) {
    if (!req.file) throw new ProblemException(400, 'file_required', "Send the image as multipart/form-data in a part named 'file'.", { errors: [{ param: 'file', code: 'required', message: 'is required' }] });
    return presentFile(await this.files.upload(tenant.tenantId, req.file.buffer, req.file.originalname), tenant.limits.retention_days);
  }

  @Get(':id')
  @Scopes('videos:read')
  @ApiOperation({ summary: 'Retrieve a file', operationId: 'getFile' })
  async get(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Param('id') id: string) {
    return presentFile(await this.files.get(tenant.tenantId, id), tenant.limits.retention_days);
  }

  @Delete(':id')
  @Scopes('files:write')
  @ApiOperation({ summary: 'Delete a file: its stored image is deleted at once; videos made from it keep their outputs', operationId: 'deleteFile' })
  async delete(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Param('id') id: string, @Req() req: Request) {
    return this.files.delete(actorOf(req), tenant.tenantId, id, tenant.livemode);
  }
}
