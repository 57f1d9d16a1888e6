import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type multer from 'multer';
import { ProblemException } from './problem.js';

/** Where uploads wait for their handler: the pod's scratch disk, not its memory. */
const UPLOAD_DIR = join(tmpdir(), 'leoma-uploads');

/** The cap on one file part, as decided when the part starts (the fields sent before it may narrow it). */
export interface FileCap {
  bytes: number;
  code: string;
}

/** What the handler gets in `req.file` besides multer's own fields: the file on disk, its size and digest. */
export interface DiskFile {
  path: string;
  size: number;
  sha256Hex: string;
}

/**
 * A multer storage engine that streams the file part to a temporary file, counting and hashing
 * as it goes: a 64 MiB upload costs the API a few chunks of memory, not 64 MiB. A part over its
 * cap is refused at the byte that crosses it. The file is removed when the response is done.
 */
export class DiskUploads implements multer.StorageEngine {
  /** `refuse` answers at once: multer itself would first read the rest of the body, however long, before passing the error on. */
  constructor(
    private readonly capOf: (req: Request) => FileCap,
    private readonly refuse: (req: Request, problem: ProblemException) => void,
  ) {}

  _handleFile(req: Request, file: Express.Multer.File, cb: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    const cap = this.capOf(req);
    const path = join(UPLOAD_DIR, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    const refuse = this.refuse;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (size > cap.bytes) {
          const problem = new ProblemException(413, cap.code, `The file is larger than ${cap.bytes} bytes.`, {
            errors: [{ param: file.fieldname, code: cap.code, message: `larger than ${cap.bytes} bytes` }],
          });
          refuse(req, problem);
          return done(problem);
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const written = mkdir(UPLOAD_DIR, { recursive: true }).then(() => {
      file.stream.pipe(meter);
      return pipeline(meter, createWriteStream(path));
    });
    written.then(
      () => {
        req.res?.once('close', () => void unlink(path).catch(() => undefined));
        cb(null, { path, size, sha256Hex: hash.digest('hex') } as Partial<Express.Multer.File>);
      },
      (err: unknown) => {
        // The rest of the part is read and dropped, so the multipart parser is not left waiting on it.
        file.stream.unpipe(meter);
        file.stream.resume();
        void unlink(path)
          .catch(() => undefined)
          .finally(() => cb(err));
      },
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File, cb: (error: Error | null) => void): void {
    unlink(file.path).then(
      () => cb(null),
      () => cb(null),
    );
  }
}
