import { Body, Controller, Delete, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FileObject } from './dto/file.object.js';
import type { Request } from 'express';
import { CurrentTenant, KeyModes, Scopes } from '../core/auth/auth.decorators.js';
import type { Principal } from '../core/auth/principal.js';
import { ProblemException } from '../platform/http/problem.js';
import { FILE_PURPOSES, FilesService, presentFile, type FilePurpose } from './files.service.js';
import { AcceptsBody } from '../platform/http/request-body.js';
import type { DiskFile } from '../platform/http/disk-uploads.js';
import { appEnv } from '../platform/config/app.env.js';
import { filesEnv } from './files.env.js';
import { ProblemCodes } from '../platform/openapi/problem-codes.decorator.js';
import { actorOf } from '../audit/index.js';
import { filesDocs } from './files.docs.js';
import { PresignedUploads } from './presigned-uploads.service.js';
import { CreateUploadsDto, UploadList } from './dto/create-uploads.dto.js';

/**
 * The most one entry of POST /v1/files/uploads takes in JSON: a 255-character file name (up to 4
 * bytes a character in UTF-8) and the other fields. The route's cap is this times
 * FILES_UPLOADS_PER_REQUEST on top of the default, so a request may carry as many entries as it
 * is allowed to (1,000 of catalogue names need about 80 KB, past the 64 KiB default).
 */
const UPLOAD_SPEC_MAX_BYTES = 1_200;

function capForPurpose(fields: Record<string, unknown>) {
  if (fields.purpose === 'video_input') return { bytes: filesEnv.get().IMAGE_MAX_BYTES, code: 'image_too_large' };
  if (fields.purpose === 'batch') return { bytes: filesEnv.get().BATCH_INPUT_MAX_BYTES, code: 'payload_too_large' };
  if (fields.purpose === 'image_archive') return { bytes: filesEnv.get().ARCHIVE_MAX_BYTES, code: 'payload_too_large' };
  if (fields.purpose === 'audio') return { bytes: filesEnv.get().AUDIO_MAX_BYTES, code: 'audio_too_large' };
  return undefined;
}

@ApiTags('files')
@ApiBearerAuth()
@KeyModes('live', 'test')
@Controller('v1/files')
export class FilesController {
  constructor(
    private readonly files: FilesService,
    private readonly uploads: PresignedUploads,
  ) {}

  @Post()
  @HttpCode(201)
  @Scopes('files:write')
  // The larger of the two caps while reading; each purpose then holds its own.
  // A `purpose` sent before the file part narrows the cap to that purpose's while the file streams in.
  @AcceptsBody({
    jsonMaxBytes: () => appEnv.get().JSON_BODY_MAX_BYTES,
    multipart: {
      field: 'file',
      fileMaxBytes: () => Math.max(filesEnv.get().IMAGE_MAX_BYTES, filesEnv.get().BATCH_INPUT_MAX_BYTES, filesEnv.get().ARCHIVE_MAX_BYTES),
      narrowCap: capForPurpose,
    },
  })
  @ProblemCodes(
    'file_required',
    'file_upload_limit_reached',
    'image_unsupported_type',
    'image_invalid',
    'image_too_large',
    'image_dimensions_too_large',
    'image_too_small',
    'archive_invalid',
    'archive_entry_name_invalid',
    'archive_duplicate_name',
    'archive_too_many_entries',
    'archive_entry_too_large',
    'archive_too_large',
    'audio_too_large',
    'audio_unsupported_type',
    'audio_invalid',
    'audio_too_long',
    'media_check_unavailable',
  )
  @ApiOperation(filesDocs.createFile)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        purpose: { type: 'string', enum: [...FILE_PURPOSES], default: 'video_input', example: 'video_input' },
      },
    },
  })
  @ApiCreatedResponse({ type: FileObject })
  async upload(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Req() req: Request) {
    const purpose = (req.body as { purpose?: unknown } | undefined)?.purpose ?? 'video_input';
    if (!FILE_PURPOSES.includes(purpose as FilePurpose)) {
      throw new ProblemException(400, 'file_purpose_invalid', `purpose must be one of ${FILE_PURPOSES.join(', ')}.`, {
        errors: [{ param: 'purpose', code: 'invalid_value', message: `must be one of ${FILE_PURPOSES.join(', ')}` }],
      });
    }
    if (!req.file)
      throw new ProblemException(400, 'file_required', "Send the file as multipart/form-data in a part named 'file'.", {
        errors: [{ param: 'file', code: 'required', message: 'is required' }],
      });
    return presentFile(
      await this.files.upload(
        tenant.tenantId,
        tenant.livemode,
        tenant.limits,
        req.file as Express.Multer.File & DiskFile,
        req.file.originalname,
        purpose as FilePurpose,
      ),
      tenant.limits.retention_days,
    );
  }

  @Post('uploads')
  @HttpCode(201)
  @Scopes('files:write')
  @AcceptsBody({ jsonMaxBytes: () => appEnv.get().JSON_BODY_MAX_BYTES + filesEnv.get().FILES_UPLOADS_PER_REQUEST * UPLOAD_SPEC_MAX_BYTES })
  @ProblemCodes('file_upload_limit_reached', 'image_too_large', 'audio_too_large')
  @ApiOperation(filesDocs.createUploads)
  @ApiCreatedResponse({ type: UploadList })
  async createUploads(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Body() dto: CreateUploadsDto): Promise<UploadList> {
    const made = await this.uploads.create(tenant.tenantId, tenant.livemode, tenant.limits, dto.files);
    return {
      object: 'list',
      data: made.map(({ file, url }) => ({
        ...presentFile(file, tenant.limits.retention_days),
        upload_url: url,
        upload_method: 'PUT' as const,
        upload_headers: { 'Content-Type': file.contentType },
      })),
    };
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Scopes('files:write')
  @ProblemCodes(
    'file_upload_incomplete',
    'file_upload_expired',
    'file_upload_size_mismatch',
    'image_unsupported_type',
    'image_invalid',
    'image_too_large',
    'image_dimensions_too_large',
    'image_too_small',
    'audio_too_large',
    'audio_unsupported_type',
    'audio_invalid',
    'audio_too_long',
    'media_check_unavailable',
  )
  @ApiOperation(filesDocs.completeUpload)
  @ApiOkResponse({ type: FileObject })
  async complete(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Param('id') id: string) {
    return presentFile(await this.uploads.complete(tenant.tenantId, id, tenant.livemode), tenant.limits.retention_days);
  }

  @Get(':id')
  @Scopes('videos:read')
  @ApiOperation(filesDocs.getFile)
  @ApiOkResponse({ type: FileObject })
  async get(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Param('id') id: string) {
    return presentFile(await this.files.get(tenant.tenantId, id, tenant.livemode), tenant.limits.retention_days);
  }

  @Delete(':id')
  @Scopes('files:write')
  @ApiOperation(filesDocs.deleteFile)
  async delete(@CurrentTenant() tenant: Extract<Principal, { kind: 'tenant' }>, @Param('id') id: string, @Req() req: Request) {
    return this.files.delete(actorOf(req), tenant.tenantId, id, tenant.livemode);
  }
}
