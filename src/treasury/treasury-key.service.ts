import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { appEnv } from '../platform/config/app.env.js';
import { loadTreasurySigner, type TreasurySigner } from './treasury-keyfile.js';

/** The burn signer, in the worker alone: the API never reads the key files or TREASURY_SIGNER_SECRET. */
@Injectable()
export class TreasuryKey implements OnModuleInit {
  private readonly logger = new Logger(TreasuryKey.name);
  private signer: TreasurySigner | null = null;

  async onModuleInit(): Promise<void> {
    this.signer = await loadTreasurySigner(appEnv.get().NODE_ENV === 'production', (m) => this.logger.error(m));
    if (!this.signer) return;
    const { pair, real } = this.signer;
    this.logger.log(
      real ? `treasury burns are signed by ${pair.address}, a proxy of the coldkey ${real}` : `treasury burns are signed by the coldkey ${pair.address} itself`,
    );
  }

  /** The signer; only asked for while burns are live, when start-up has made it. */
  get(): TreasurySigner {
    if (!this.signer) throw new Error('no treasury key: TREASURY_BURNS_LIVE is off');
    return this.signer;
  }
}
