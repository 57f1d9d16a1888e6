import express, { type ErrorRequestHandler, type Express } from 'express';
import { sendProblem } from './problem-response.js';

/**
 * JSON parsing is installed here rather than by Nest so that a malformed or oversized body is
 * answered with problem+json: body-parser errors happen before Nest's exception filters run.
 */
export function installBodyParsers(app: Express, jsonLimitBytes: number): void {
  // Stripe signs the exact bytes it sent: that route gets them unparsed (the JSON parser then skips it).
  app.use('/v1/stripe/webhooks', express.raw({ type: () => true, limit: 1024 * 1024 }));
  app.use(express.json({ limit: jsonLimitBytes, type: ['application/json', 'application/*+json'] }));
  app.use(bodyParserErrors);
}

const bodyParserErrors: ErrorRequestHandler = (err, req, res, next) => {
  const status = typeof err?.status === 'number' ? err.status : 500;
  if (status >= 500 || res.headersSent) return next(err);
  if (status === 413) return sendProblem(req, res, 413, 'payload_too_large', `The request body exceeds ${err.limit} bytes.`);
  if (err.type === 'entity.parse.failed') return sendProblem(req, res, 400, 'malformed_json', 'The request body is not valid JSON.');
  sendProblem(req, res, status, 'bad_request', 'The request body could not be read.');
};
