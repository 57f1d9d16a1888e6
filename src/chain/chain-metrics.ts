import { Histogram } from 'prom-client';
import { metricsRegistry } from '../platform/metrics/registry.js';

/**
 * Every JSON-RPC call to subtensor, by method (a fixed catalogue of the node's) and outcome: ok,
 * rpc_error (the node answered with an error, e.g. a pool refusal) or transport_error (the
 * connection was down, dropped or the call got no answer).
 */
export const chainRpcCalls = new Histogram({
  name: 'leoma_chain_rpc_duration_seconds',
  help: 'Seconds subtensor JSON-RPC calls took, by method and outcome (ok, rpc_error, transport_error).',
  labelNames: ['method', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [metricsRegistry],
});
