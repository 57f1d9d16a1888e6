import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { DomainError } from '../platform/http/domain-error.js';

export interface ArchiveCaps {
  /** Members in the central directory, refused before any is read (a "billion-entry" directory costs nothing). */
  maxEntries: number;
  /** One member expanded: an image's own cap. */
  maxEntryBytes: number;
  /** All members expanded together. */
  maxTotalBytes: number;
}

const invalid = (detail: string) =>
  new DomainError('archive_invalid', detail, { errors: [{ param: 'file', code: 'archive_invalid', message: detail.slice(0, 200) }] });

/**
 * A ZIP of images, read with yauzl from its file on disk (random access: the central directory
 * first, then one member at a time, never the whole archive in memory). Hostile archives are
 * refused with a code that says why: names that climb out (`../`) or are absolute, duplicate
 * names, more members than allowed, members (or a total) that expand past the caps — by the sizes
 * the archive declares and, since those can lie, by the bytes actually inflated (yauzl's
 * validateEntrySizes stops a member at the first byte past its declared size).
 */
export class ImageArchive {
  private constructor(
    private readonly zip: ZipFile,
    private readonly caps: ArchiveCaps,
  ) {}

  static async open(path: string, caps: ArchiveCaps): Promise<ImageArchive> {
    let zip: ZipFile;
    try {
      zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true });
    } catch (e) {
      throw invalid(`Not a readable ZIP archive: ${(e as Error).message}.`);
    }
    if (zip.entryCount > caps.maxEntries) {
      zip.close();
      throw new DomainError('archive_too_many_entries', `The archive lists ${zip.entryCount} members; at most ${caps.maxEntries} are accepted.`, {
        max_entries: caps.maxEntries,
      });
    }
    return new ImageArchive(zip, caps);
  }

  close(): void {
    if (this.zip.isOpen) this.zip.close();
  }

  /**
   * Every member's name, checked against the caps by what the central directory declares; with
   * `inflate`, every member is also expanded (and discarded) to prove the declarations true.
   */
  async check(inflate: boolean): Promise<string[]> {
    const names: string[] = [];
    const seen = new Set<string>();
    let total = 0;
    for await (const entry of this.entries()) {
      if (entry.fileName.endsWith('/')) continue;
      if (seen.has(entry.fileName))
        throw new DomainError('archive_duplicate_name', `The archive holds '${entry.fileName.slice(0, 200)}' more than once.`, {
          name: entry.fileName.slice(0, 200),
        });
      seen.add(entry.fileName);
      this.assertSize(entry, entry.uncompressedSize);
      total += entry.uncompressedSize;
      if (total > this.caps.maxTotalBytes)
        throw new DomainError('archive_too_large', `The archive's members expand to more than ${this.caps.maxTotalBytes} bytes.`, {
          max_bytes: this.caps.maxTotalBytes,
        });
      if (inflate) await this.read(entry);
      names.push(entry.fileName);
    }
    return names;
  }

  /** Hands each member named in `wanted` to `take` with its bytes, one member at a time, in archive order. */
  async each(wanted: Set<string>, take: (name: string, bytes: Buffer) => Promise<void>): Promise<void> {
    for await (const entry of this.entries()) {
      if (!wanted.has(entry.fileName)) continue;
      this.assertSize(entry, entry.uncompressedSize);
      await take(entry.fileName, await this.read(entry));
    }
  }

  private assertSize(entry: Entry, bytes: number): void {
    if (bytes > this.caps.maxEntryBytes)
      throw new DomainError(
        'archive_entry_too_large',
        `'${entry.fileName.slice(0, 200)}' expands past ${this.caps.maxEntryBytes} bytes, the cap of one image.`,
        {
          name: entry.fileName.slice(0, 200),
          max_bytes: this.caps.maxEntryBytes,
        },
      );
  }

  private async read(entry: Entry): Promise<Buffer> {
    if (entry.isEncrypted()) throw invalid(`'${entry.fileName.slice(0, 200)}' is encrypted.`);
    const chunks: Buffer[] = [];
    let bytes = 0;
    try {
      const stream = await this.zip.openReadStreamPromise(entry);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        // validateEntrySizes already stops at the declared size, which is under the cap; this holds even if it did not.
        if (bytes > this.caps.maxEntryBytes) {
          stream.destroy();
          this.assertSize(entry, bytes);
        }
        chunks.push(chunk);
      }
    } catch (e) {
      if (e instanceof DomainError) throw e;
      throw invalid(`'${entry.fileName.slice(0, 200)}' cannot be read: ${(e as Error).message}.`);
    }
    return Buffer.concat(chunks);
  }

  /** The members in directory order; yauzl reads the next one only when asked (lazyEntries). */
  private async *entries(): AsyncGenerator<Entry> {
    for (;;) {
      const next = await new Promise<Entry | null>((resolve, reject) => {
        const done = () => {
          this.zip.off('entry', onEntry);
          this.zip.off('end', onEnd);
          this.zip.off('error', onError);
        };
        const onEntry = (e: Entry) => (done(), resolve(e));
        const onEnd = () => (done(), resolve(null));
        const onError = (e: Error) => (done(), reject(nameOrInvalid(e)));
        this.zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
        this.zip.readEntry();
      });
      if (!next) return;
      yield next;
    }
  }
}

/** yauzl refuses names that climb out of the archive, are absolute or use backslashes; those get their own code. */
function nameOrInvalid(e: Error): DomainError {
  const m = /^(invalid relative path|absolute path|invalid characters in fileName): (.*)$/s.exec(e.message);
  if (!m) return invalid(`Not a readable ZIP archive: ${e.message}.`);
  return new DomainError(
    'archive_entry_name_invalid',
    `The archive names a member '${m[2]!.slice(0, 200)}' (${m[1]}); names must be relative paths inside the archive.`,
    {
      name: m[2]!.slice(0, 200),
    },
  );
}
