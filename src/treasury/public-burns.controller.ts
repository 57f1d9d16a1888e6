import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../core/auth/auth.decorators.js';
import { chainEnv } from '../chain/index.js';
import { ListQuery } from '../platform/http/pagination.js';
import { presentPublicBurn } from './burn-presenter.js';
import { burnsPage } from './burns-page.js';
import { parseProof, proofSection } from './burns-page-proof.js';
import { InvoiceProofs } from './invoice-proofs.service.js';
import { BurnsService } from './burns.service.js';
import { PublicBurnList } from './dto/public.objects.js';
import { PUBLIC_STATUSES, publicTotals } from './public-burns.js';
import { publicBurnsDocs } from './public-burns.docs.js';

/** Proof of burn for anyone: on-chain facts and totals, no customer data, no login; /burns also checks a pasted invoice proof against the memo. */
@ApiTags('public')
@Public()
@Controller()
export class PublicBurnsController {
  constructor(
    private readonly burns: BurnsService,
    private readonly proofs: InvoiceProofs,
  ) {}

  @Get('v1/public/burns')
  @ApiOperation(publicBurnsDocs.publicListBurns)
  @ApiOkResponse({ type: PublicBurnList })
  async list(@Query() query: ListQuery): Promise<PublicBurnList> {
    const [{ rows, hasMore }, all] = await Promise.all([this.burns.list(query, PUBLIC_STATUSES), this.burns.all(PUBLIC_STATUSES)]);
    return { object: 'list', data: rows.map(presentPublicBurn), has_more: hasMore, totals: publicTotals(all) };
  }

  @Get('burns')
  @ApiExcludeEndpoint()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=60')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")
  async page(@Query('proof') proof?: string): Promise<string> {
    const [onChain, dryRuns] = await Promise.all([this.burns.all(PUBLIC_STATUSES), this.burns.count(['dry_run'])]);
    const parsed = typeof proof === 'string' ? parseProof(proof) : null;
    const result = parsed === null || typeof parsed === 'string' ? parsed : await this.proofs.check(parsed);
    return burnsPage(onChain, chainEnv.get().SUBNET_NETUID, dryRuns, proofSection(typeof proof === 'string' ? proof : undefined, result));
  }
}
