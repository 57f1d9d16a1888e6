import { Body, Controller, Delete, Get, HttpCode, Param, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { actorOf } from '../audit/index.js';
import { OperatorOnly } from '../core/auth/auth.decorators.js';
import { ModelCapabilitiesService } from './model-capabilities.service.js';
import { ModelCapabilitiesList, ModelCapabilitiesObject, PutModelCapabilitiesDto } from './dto/model-capabilities.dto.js';
import { presentCapabilities } from './capabilities.presenter.js';
import type { ModelCapabilities } from './model-capabilities.js';

/** Operators override what a model can do (a fine-tune with another size, a longer clip) without a deploy. */
@ApiTags('admin')
@ApiBearerAuth()
@OperatorOnly()
@Controller('v1/admin/model-capabilities')
export class AdminModelCapabilitiesController {
  constructor(private readonly capabilities: ModelCapabilitiesService) {}

  @Put()
  @ApiOperation({ summary: "Set a model's capabilities (replaces the defaults from code for that model)", operationId: 'adminPutModelCapabilities', description: '201 when the override is new, 200 when it replaced one.' })
  @ApiOkResponse({ type: ModelCapabilitiesObject })
  async put(@Body() body: PutModelCapabilitiesDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<ModelCapabilitiesObject> {
    const { model, ...capabilities } = body;
    const { row, created } = await this.capabilities.upsert(actorOf(req), model, capabilities as ModelCapabilities);
    res.status(created ? 201 : 200);
    return presentCapabilities(row.id, row.model, 'override', row.capabilities);
  }

  @Get()
  @ApiOperation({ summary: 'The overrides operators have set', operationId: 'adminListModelCapabilities', description: "The capability overrides operators have stored per model (durations, resolutions, fps, negative prompts); models without one use the defaults from code." })
  @ApiOkResponse({ type: ModelCapabilitiesList })
  async list(): Promise<ModelCapabilitiesList> {
    const rows = await this.capabilities.listOverrides();
    return { object: 'list', data: rows.map((r) => presentCapabilities(r.id, r.model, 'override', r.capabilities)), has_more: false };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an override: the model goes back to the defaults from code', operationId: 'adminDeleteModelCapabilities', description: "Removes a stored override: the model goes back to the capabilities defined in code. Videos already accepted keep their shape." })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string, @Req() req: Request): Promise<void> {
    await this.capabilities.remove(actorOf(req), id);
  }
}
