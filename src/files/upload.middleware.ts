import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { sendProblem } from '../platform/http/problem-response.js';
import { filesEnv } from './files.env.js';

const MULTER_CODES: Record<string, [number, string]> = {
  LIMIT_FILE_SIZE: [413, 'image_too_large'],
  LIMIT_FILE_COUNT: [400, 'too_many_files'],
  LIMIT_UNEXPECTED_FILE: [400, 'unexpected_file_field'],
  LIMIT_FIELD_VALUE: [413, 'field_too_large'],
  LIMIT_FIELD_COUNT: [400, 'too_many_fields'],
  LIMIT_PART_COUNT: [400, 'too_many_parts'],
};

/**
 * Parses multipart bodies before guards and interceptors run, so the idempotency fingerprint can
 * include the file; limits are enforced while streaming, so an oversized upload never sits in memory.
 */
export function uploadMiddleware(field: string) {
  @Injectable()
  class UploadMiddleware implements NestMiddleware {
    private readonly upload = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: filesEnv.get().IMAGE_MAX_BYTES, files: 1, fields: 32, fieldSize: 64 * 1024, parts: 40 },
    }).single(field);

    use(req: Request, res: Response, next: NextFunction): void {
      if (!req.is('multipart/form-data')) return next();
      this.upload(req, res, (err: unknown) => {
        if (!err) return next();
        const [status, code] = err instanceof multer.MulterError ? (MULTER_CODES[err.code] ?? [400, 'invalid_multipart']) : [400, 'invalid_multipart'];
        const detail = code === 'unexpected_file_field' ? `Send the file in the '${field}' part.` : err instanceof Error ? err.message : 'The multipart body could not be read.';
        sendProblem(req, res, status, code, detail, field);
      });
    }
  }
  return UploadMiddleware;
}
