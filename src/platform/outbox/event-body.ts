import type { EventRecord } from './event.entity.js';

/**
 * An event as consumers send it (the Standard Webhooks body, the SSE `data:`): thin, so it never
 * carries URLs that expire or data that goes stale.
 */
export const eventBody = (event: EventRecord) => JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
