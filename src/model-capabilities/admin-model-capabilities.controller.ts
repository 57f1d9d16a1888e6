import { Body, Controller, Delete, Get, HttpCode, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { actorOf } from '../audit/index.js';
import { OperatorOnly } from '../core/auth/auth.decorators.js';
import { ModelCapabilitiesService } from './model-capabilities.service.js';
import { ModelCapabilitiesList, ModelCapabilitiesObject, PutModelCapabilitiesDto } from './dto/model-capabilities.dto.js';
import { presentCapabilities } from './capabilities.presenter.js';
import type { ModelCapabilities } from './model-capabilities.js';
import { adminModelCapabilitiesDocs } from './admin-model-capabilities.docs.js';

/** Operators override what a model can do (a fine-tune with another size, a longer clip) without a deploy. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/model-capabilities')
export class AdminModelCapabilitiesController {
  constructor(private readonly capabilities: ModelCapabilitiesService) {}

  @Put()
  @ApiOperation(adminModelCapabilitiesDocs.adminPutModelCapabilities)
  @ApiOkResponse({ type: ModelCapabilitiesObject })
  async put(@Body() body: PutModelCapabilitiesDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ModelCapabilitiesObject> {
    const { model, ...capabilities } = body;
    const { row, created } = await this.capabilities.upsert(actorOf(req), model, capabilities as ModelCapabilities);
    res.status(created ? 201 : 200);
    return presentCapabilities(row.id, row.model, 'override', row.capabilities);
  }

  @Get()
  @ApiOperation(adminModelCapabilitiesDocs.adminListModelCapabilities)
  @ApiOkResponse({ type: ModelCapabilitiesList })
  async list(): Promise<ModelCapabilitiesList> {
    const rows = await this.capabilities.listOverrides();
    return { object: 'list', data: rows.map((r) => presentCapabilities(r.id, r.model, 'override', r.capabilities)), has_more: false };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation(adminModelCapabilitiesDocs.adminDeleteModelCapabilities)
  @ApiNoContentResponse()
  async remove(@Param('id') id: string, @Req() req: Request): Promise<void> {
    await this.capabilities.remove(actorOf(req), id);
  }
}
