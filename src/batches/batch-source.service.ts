import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import { FilesService } from '../files/index.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { DomainError } from '../platform/http/domain-error.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { csvRows, detectFormat, inlineRows, jsonlRows, sniffFormat, type InputFormat, type InputRow } from './batch-input.js';
import type { CreateBatch } from './batches.service.js';
import type { CreateBatchDto } from './dto/create-batch.dto.js';
import { batchesEnv } from './batches.env.js';

/** Where a batch's rows come from: inline `items`, a file part, or a file uploaded before (`input_file_id`) — exactly one. */
@Injectable()
export class BatchSource {
  constructor(
    private readonly files: FilesService,
    private readonly storage: StorageService,
  ) {}

  async open(who: TenantPrincipal, dto: CreateBatchDto, upload?: Express.Multer.File): Promise<Pick<CreateBatch, 'rows' | 'maxItems' | 'input'>> {
    const read = await this.rowsOf(who, dto, upload);
    return dto.images_file_id === undefined ? read : { ...read, input: { ...read.input, images_file_id: dto.images_file_id } };
  }

  private async rowsOf(who: TenantPrincipal, dto: CreateBatchDto, upload?: Express.Multer.File): Promise<Pick<CreateBatch, 'rows' | 'maxItems' | 'input'>> {
    const env = batchesEnv.get();
    const given = [dto.items !== undefined, upload !== undefined, dto.input_file_id !== undefined].filter(Boolean).length;
    if (given !== 1) {
      throw new DomainError(
        'batch_input_invalid',
        given === 0
          ? 'Send the items: `items` (JSON), a JSONL or CSV file in the multipart part `file`, or `input_file_id`.'
          : 'Send the items one way only: `items`, a file part, or `input_file_id`.',
        {
          errors: [{ param: 'items', code: given === 0 ? 'required' : 'ambiguous', message: given === 0 ? 'no items given' : 'given more than one way' }],
        },
      );
    }
    if (dto.items) {
      if (dto.items.length > env.BATCH_MAX_INLINE_ITEMS)
        throw new DomainError('batch_too_large', `At most ${env.BATCH_MAX_INLINE_ITEMS} items may be sent inline; upload a JSONL or CSV file for more.`, {
          max_items: env.BATCH_MAX_INLINE_ITEMS,
        });
      return { rows: inlineRows(dto.items), maxItems: env.BATCH_MAX_INLINE_ITEMS, input: { source: 'inline', format: 'json', filename: null, file_id: null } };
    }
    if (upload) {
      // The part waited on disk (at most BATCH_INPUT_MAX_BYTES); its rows are read from there as a stream, never whole.
      const format = await detectFormat(dto.format, upload.originalname, async () => sniffFormat(await headOf(upload.path)));
      return {
        rows: rowsOf(format, () => createReadStream(upload.path)),
        maxItems: env.BATCH_MAX_FILE_ITEMS,
        input: { source: 'upload', format, filename: upload.originalname?.slice(0, 255) ?? null, file_id: null },
      };
    }
    const file = await this.files.get(who.tenantId, dto.input_file_id!, who.livemode).catch(() => {
      throw new DomainError('file_not_found', `No file with id '${dto.input_file_id!.slice(0, 64)}'.`, {
        errors: [{ param: 'input_file_id', code: 'file_not_found', message: 'unknown file id' }],
      });
    });
    if (file.purpose !== 'batch')
      throw new DomainError('batch_file_not_usable', `File '${file.id}' was not uploaded with purpose "batch".`, {
        errors: [{ param: 'input_file_id', code: 'batch_file_not_usable', message: 'not a batch input file' }],
      });
    // Its content type was sniffed from its first bytes when it was uploaded (FilesService), as sniffFormat does.
    const format = await detectFormat(dto.format, file.filename ?? undefined, async () => (file.contentType === 'text/csv' ? 'csv' : 'jsonl'));
    return {
      rows: rowsOf(format, () => this.storage.stream(file.storageKey)),
      maxItems: env.BATCH_MAX_FILE_ITEMS,
      input: { source: 'file', format, filename: file.filename, file_id: file.id },
    };
  }
}

/** The first bytes of a file, to tell its format by. */
async function headOf(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64), 0, 64, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The rows of a file read as a stream: it is opened only once its rows are read (a batch refused
 * before that leaves nothing open) and closed as soon as the reader stops.
 */
async function* rowsOf(format: InputFormat, openStream: () => Readable | Promise<Readable>): AsyncGenerator<InputRow> {
  const chunks = async function* (): AsyncGenerator<Buffer> {
    const stream = await openStream();
    try {
      yield* stream as AsyncIterable<Buffer>;
    } finally {
      stream.destroy();
    }
  };
  yield* format === 'csv' ? csvRows(chunks()) : jsonlRows(chunks());
}
