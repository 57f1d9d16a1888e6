import { Module } from '@nestjs/common';
import { ChainClient } from './chain-client.js';

/**
 * The process's one ChainClient. Every module that talks to subtensor imports this module rather
 * than listing ChainClient among its own providers: a provider listed in two modules is two
 * instances, so two WebSocket connections, each with its own metadata and reconnect loop.
 */
@Module({ providers: [ChainClient], exports: [ChainClient] })
export class ChainModule {}
