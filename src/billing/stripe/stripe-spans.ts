import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type Stripe from 'stripe';
import { stripeSdk } from './stripe-sdk.js';
import { stripeRoute } from './stripe-metrics.js';

type HttpClient = ReturnType<typeof Stripe.createNodeHttpClient>;

/**
 * The SDK's own Node HTTP client (what it uses by default) with a client span around every
 * request it sends (one per attempt: the SDK's retries are attempts), named by method and route
 * with ids as `{id}`. Only built while tracing is on; otherwise the SDK keeps its default client.
 */
export function tracedStripeHttpClient(): HttpClient {
  const inner = stripeSdk().createNodeHttpClient();
  return {
    getClientName: () => inner.getClientName(),
    makeRequest: (host, port, path, method, headers, requestData, protocol, timeout) => {
      const route = stripeRoute(path);
      return trace.getTracer('leoma').startActiveSpan(
        `Stripe ${method} ${route}`,
        {
          kind: SpanKind.CLIENT,
          attributes: { 'rpc.system': 'stripe', 'http.request.method': method, 'url.template': route, 'server.address': host, 'server.port': Number(port) },
        },
        async (span) => {
          try {
            const response = await inner.makeRequest(host, port, path, method, headers, requestData, protocol, timeout);
            const status = response.getStatusCode();
            span.setAttribute('http.response.status_code', status);
            const requestId = response.getHeaders()['request-id'];
            if (typeof requestId === 'string') span.setAttribute('stripe.request_id', requestId);
            if (status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
            return response;
          } catch (error) {
            span.recordException(error as Error);
            span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
            throw error;
          } finally {
            span.end();
          }
        },
      );
    },
  };
}
