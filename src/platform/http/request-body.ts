import { applyDecorators, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import express, { type Request, type Response } from 'express';
import multer from 'multer';
import { appEnv } from '../config/app.env.js';
import { ProblemException } from './problem.js';
import { RouteCache } from './route-cache.js';
import { JSON_MAX_DEPTH, nestsDeeperThan } from './json-depth.js';
import { DiskUploads, type FileCap } from './disk-uploads.js';
import { LargeBodiesInFlight } from './large-bodies-in-flight.js';

export const BODY_SPEC = 'leoma:body';

/** What a route may receive; routes without one take JSON up to JSON_BODY_MAX_BYTES. */
export interface BodySpec {
  /** Cap of a JSON body, read when the request is handled (env is loaded by then). */
  jsonMaxBytes(): number;
  /** Accept multipart/form-data with one file in this part, capped at fileMaxBytes(); the file waits on disk for the handler (req.file.path). */
  multipart?: {
    field: string;
    fileMaxBytes(): number;
    /** The code of a file over the cap (default image_too_large: most routes take images). */
    tooLargeCode?: string;
    /** A narrower cap chosen from the fields sent before the file part (a declared purpose). */
    narrowCap?(fields: Record<string, unknown>): FileCap | undefined;
  };
  /** Keep the body unparsed, as a Buffer of any media type, within jsonMaxBytes(): a signature over the exact bytes (Stripe's webhooks) needs them. */
  raw?: boolean;
}

/**
 * Raises a route's body cap above the default (routes that take images). The spec learns the
 * multipart file part's name (x-multipart-file) so it can declare it as binary, and that the
 * route takes large bodies (x-large-body), of which a tenant may have only so many in flight.
 */
export const AcceptsBody = (spec: BodySpec) =>
  applyDecorators(
    SetMetadata(BODY_SPEC, spec),
    ...(spec.multipart ? [ApiExtension('x-multipart-file', spec.multipart.field)] : []),
    ...(spec.raw ? [] : [ApiExtension('x-large-body', true)]),
  );

const DEFAULT_SPEC: BodySpec = { jsonMaxBytes: () => appEnv.get().JSON_BODY_MAX_BYTES };
const JSON_TYPES = ['application/json', 'application/*+json'];

const MULTER_CODES: Record<string, [number, string]> = {
  LIMIT_FILE_SIZE: [413, 'image_too_large'],
  LIMIT_FILE_COUNT: [400, 'too_many_files'],
  LIMIT_UNEXPECTED_FILE: [400, 'unexpected_file_field'],
  LIMIT_FIELD_VALUE: [413, 'field_too_large'],
  LIMIT_FIELD_COUNT: [400, 'too_many_fields'],
  LIMIT_PART_COUNT: [400, 'too_many_parts'],
};

type Parser = (req: Request, res: Response, next: (err?: unknown) => void) => void;

const FORM_FIELDS = 32;
const FORM_FIELD_BYTES = 64 * 1024;
/** The most a multipart body may carry besides its file: every field full, and part headers. */
const FORM_OVERHEAD_BYTES = FORM_FIELDS * FORM_FIELD_BYTES + 64 * 1024;

/** A parsed JSON body nested deeper than any we accept is refused here, before anything walks it recursively. */
const refuseDeepJson: Parser = (req, _res, next) => {
  if (!nestsDeeperThan(req.body, JSON_MAX_DEPTH)) return next();
  next(new ProblemException(400, 'json_too_deep', `The JSON body nests deeper than ${JSON_MAX_DEPTH} levels.`));
};

/**
 * Reads the request body within the route's cap. Limits are enforced while streaming: an
 * oversized body is refused at the cap, never held whole. Parsers are built per spec once.
 */
class RequestBodyReader {
  private readonly parsers = new Map<BodySpec, Parser[]>();

  async read(req: Request, res: Response, spec: BodySpec = DEFAULT_SPEC): Promise<void> {
    for (const parse of this.parsersFor(spec)) {
      await new Promise<void>((resolve, reject) => parse(req, res, (err) => (err ? reject(toProblem(err, spec)) : resolve())));
    }
  }

  private parsersFor(spec: BodySpec): Parser[] {
    let parsers = this.parsers.get(spec);
    if (!parsers) {
      parsers = spec.raw
        ? [express.raw({ limit: spec.jsonMaxBytes(), type: () => true }) as Parser]
        : [express.json({ limit: spec.jsonMaxBytes(), type: JSON_TYPES }) as Parser, refuseDeepJson];
      if (spec.multipart) {
        const { fileMaxBytes, tooLargeCode = 'image_too_large', narrowCap } = spec.multipart;
        const refusals = new WeakMap<Request, (err: unknown) => void>();
        const storage = new DiskUploads(
          (req) => narrowCap?.((req.body ?? {}) as Record<string, unknown>) ?? { bytes: fileMaxBytes(), code: tooLargeCode },
          (req, problem) => refusals.get(req)?.(problem),
        );
        // One byte over the cap for multer, so the storage engine (which answers at once) is the one that refuses.
        const upload = multer({
          storage,
          limits: { fileSize: fileMaxBytes() + 1, files: 1, fields: FORM_FIELDS, fieldSize: FORM_FIELD_BYTES, parts: 40 },
        }).single(spec.multipart.field);
        parsers.push((req, res, next) => {
          if (!req.is('multipart/form-data')) return next();
          let settled = false;
          const settle = (err?: unknown) => {
            if (settled) return;
            settled = true;
            refusals.delete(req);
            next(err);
          };
          refusals.set(req, settle);
          upload(req, res, settle);
        });
      }
      this.parsers.set(spec, parsers);
    }
    return parsers;
  }
}

/**
 * The last global guard (after authentication and the rate limit, see the composition root): an
 * anonymous, forged-key or throttled request is refused before a byte of its body is read, and
 * the problem filter closes such a connection rather than drain it.
 */
@Injectable()
export class ReadBodyGuard implements CanActivate {
  private readonly reader = new RequestBodyReader();

  private readonly largeBodies = new LargeBodiesInFlight();

  private readonly specs = new RouteCache<{ spec: BodySpec | undefined }>();

  constructor(private readonly reflector: Reflector) {}

  canActivate(ctx: ExecutionContext): boolean | Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<Request>();
    // No Content-Length and no Transfer-Encoding: no body (most GETs). The parsers would only set
    // req.body to undefined, as done here, at the cost of a promise per parser; answered without a
    // promise at all, Nest's guard chain goes on without awaiting one.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      req.body ??= undefined;
      return true;
    }
    return this.read(ctx, req);
  }

  private async read(ctx: ExecutionContext, req: Request): Promise<boolean> {
    const { spec } = this.specs.get(ctx, () => ({
      spec: this.reflector.getAllAndOverride<BodySpec | undefined>(BODY_SPEC, [ctx.getHandler(), ctx.getClass()]),
    }));
    const res = ctx.switchToHttp().getResponse<Response>();
    if (spec?.multipart && req.is('multipart/form-data')) refuseDeclaredOversize(req, spec.multipart);
    // Routes that raise the body cap are the ones a large body can reach.
    if (spec && !spec.raw && req.user?.kind === 'tenant') this.largeBodies.admit(req.user.tenantId, req, res);
    await this.reader.read(req, res, spec);
    return true;
  }
}

/** A multipart body that says it is larger than the file cap plus a full form is refused before a byte of it is read. */
function refuseDeclaredOversize(req: Request, multipart: NonNullable<BodySpec['multipart']>): void {
  const declared = Number(req.headers['content-length'] ?? 0);
  const max = multipart.fileMaxBytes() + FORM_OVERHEAD_BYTES;
  if (declared <= max) return;
  const code = multipart.tooLargeCode ?? 'image_too_large';
  throw new ProblemException(413, code, `The request body (${declared} bytes) is larger than this route takes (${max} bytes with the form).`, {
    errors: [{ param: multipart.field, code, message: `larger than ${multipart.fileMaxBytes()} bytes` }],
  });
}

function toProblem(err: unknown, spec: BodySpec): ProblemException {
  if (err instanceof ProblemException) return err;
  if (err instanceof multer.MulterError) {
    const field = spec.multipart!.field;
    const [status, listed] = MULTER_CODES[err.code] ?? [400, 'invalid_multipart'];
    const code = err.code === 'LIMIT_FILE_SIZE' ? (spec.multipart!.tooLargeCode ?? listed) : listed;
    const detail = code === 'unexpected_file_field' ? `Send the file in the '${field}' part.` : err.message;
    return new ProblemException(status, code, detail, { errors: [{ param: field, code, message: detail }] });
  }
  const e = err as { status?: number; type?: string; limit?: number; message?: string };
  if (e.status === 413) return new ProblemException(413, 'payload_too_large', `The request body exceeds ${e.limit} bytes.`);
  if (e.type === 'entity.parse.failed') return new ProblemException(400, 'malformed_json', 'The request body is not valid JSON.');
  if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported')
    return new ProblemException(415, 'unsupported_media_type', e.message ?? 'Unsupported body encoding.');
  if (typeof e.status === 'number' && e.status < 500) return new ProblemException(400, 'bad_request', 'The request body could not be read.');
  if (spec.multipart && err instanceof Error) return new ProblemException(400, 'invalid_multipart', err.message);
  return new ProblemException(400, 'bad_request', 'The request body could not be read.');
}
