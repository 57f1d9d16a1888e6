import { ChainUnavailable } from '../chain/index.js';
import { DomainError } from '../platform/http/domain-error.js';

/** Seconds a client is asked to wait before trying chain work again. */
const CHAIN_RETRY_AFTER_S = 30;

/** The treasury's stable problem codes, in one place. */
export const treasuryProblems = {
  burnNotFound: () => new DomainError('burn_not_found', 'No burn with this id.'),
  burnNotOnChain: (status: string) => new DomainError('burn_not_on_chain', `A ${status} burn has no block to verify against.`),
  chainNotConfigured: () => new DomainError('chain_not_configured', 'No chain endpoint is configured (SUBTENSOR_WS_URL); the treasury runs in dry-run mode.'),
  exportFormat: () => new DomainError('validation_failed', 'format must be csv.', { errors: [{ param: 'format', code: 'invalid', message: 'must be csv' }] }),
  chainUnavailable: () =>
    new DomainError(
      'chain_unavailable',
      'The subtensor node cannot be reached right now; nothing was signed or sent. Try again later.',
      {},
      { 'Retry-After': String(CHAIN_RETRY_AFTER_S) },
    ),
  /** Rethrows `error`, as 503 chain_unavailable when the node could not be reached. */
  fromChain: (error: unknown): never => {
    if (error instanceof ChainUnavailable) throw treasuryProblems.chainUnavailable();
    throw error;
  },
  burnBusy: () => new DomainError('burn_run_in_progress', 'Another burn run holds the treasury lock; try again when it is over.'),
};
