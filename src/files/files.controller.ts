import { Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FileObject } from './dto/file.object.js';
import type { Request } from 'express';
import { CurrentTenant, Scopes } from '../core/auth/auth.decorators.js';
import type { Principal } from '../core/auth/principal.js';
import { ProblemException } from '../platform/http/problem.js';
import { FilesService, presentFile } from './files.service.js';
import { AcceptsBody } from '../platform/http/request-body.js';
import { appEnv } from '../platform/config/app.env.js';
import { filesEnv } from './files.env.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';

@ApiTags('files')
@ApiBearerAuth()
@Controller('v1/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Post()
  @HttpCode(201)
  @Scopes('files:write')
  @AcceptsBody({ jsonMaxBytes: () => appEnv.get().JSON_BODY_MAX_BYTES, multipart: { field: 'file', fileMaxBytes: () => filesEnv.get().IMAGE_MAX_BYTES } })
  @ProblemCodes('file_required', 'file_upload_limit_reached', 'image_unsupported_type', 'image_invalid', 'image_too_large', 'image_dimensions_too_large', 'image_too_small')
  @ApiOperation({ summary: 'Upload an image (PNG, JPEG or WebP) to use as a video start frame', operationId: 'createFile', description: "Uploads a start-frame image once (multipart part `file`; PNG, JPEG or WebP, checked by its bytes) and returns a `file_` id to pass as `image` to `POST /v1/videos` any number of times." })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: FileObject })
  async upload(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Req() req: Request) {
    if (!req.file) throw new ProblemException(400, 'file_required', "Send the image as multipart/form-data in a part named 'file'.", { errors: [{ param: 'file', code: 'required', message: 'is required' }] });
    return presentFile(await this.files.upload(tenant.tenantId, req.file.buffer, req.file.originalname));
  }

  @Get(':id')
  @Scopes('videos:read')
  @ApiOperation({ summary: 'Retrieve a file', operationId: 'getFile', description: "An uploaded file's type, size and dimensions. Another tenant's id is 404." })
  @ApiOkResponse({ type: FileObject })
  async get(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Param('id') id: string) {
    return presentFile(await this.files.get(tenant.tenantId, id));
  }
}
