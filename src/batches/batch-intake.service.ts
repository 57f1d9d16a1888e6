import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AudioIntakeService, FilesService, ImageIntakeService, isImageRefusal, uploadIncomplete } from '../files/index.js';
import { fileInputRef, videosEnv, type AudioInputRef, type NewBatchItem, type VideoInputRef } from '../videos/index.js';
import { StorageService } from '../platform/storage/storage.service.js';
import { DomainError } from '../platform/http/domain-error.js';
import type { TenantPrincipal } from '../core/auth/principal.js';
import { validateRow, type BatchItem } from './batch-row.js';
import type { FieldProblem } from '../platform/http/problem.js';
import type { InputRow } from './batch-input.js';
import type { RejectedRow } from './batch.entity.js';
import { batchesEnv } from './batches.env.js';

/** A valid item read, its image not resolved yet (`inline`: a data-URI image being stored). */
type PendingItem = BatchItem & { target: PlannedItem; inline?: Promise<VideoInputRef | DomainError> };

/** A valid item and the image it starts from. */
export interface ReadyItem extends BatchItem {
  input: VideoInputRef;
  target: PlannedItem;
}

/** The frame size, rate and count an item will have, with the segments and post-production that make it. */
export type PlannedItem = NewBatchItem['target'];

/** How an item is made on the serving model (planRender); throws the DomainError that says what would work when it cannot. */
export type PlanItem = (item: BatchItem) => PlannedItem;

export interface IntakeResult {
  items: ReadyItem[];
  rejected: RejectedRow[];
  /** Objects stored for data-URI images; deleted again when the batch is refused. */
  storedKeys: string[];
}

/**
 * Reads every row as it streams in, validates it, and resolves the images: data URIs checked and
 * stored as their rows are read (each distinct one once), file ids in bulk, in one query per thousand. URLs are only checked for form here
 * and fetched when the item runs (a catalogue of 50,000 product URLs cannot be downloaded in a
 * request). Stops reading past `maxItems` rows: the caller refuses the batch.
 */
@Injectable()
export class BatchIntake {
  constructor(
    private readonly files: FilesService,
    private readonly images: ImageIntakeService,
    private readonly storage: StorageService,
    private readonly audio: AudioIntakeService,
  ) {}

  /** `archive`: the image archive (`images_file_id`) whose members rows may name. */
  async read(
    who: TenantPrincipal,
    batchId: string,
    rows: AsyncIterable<InputRow>,
    maxItems: number,
    archive: string | undefined,
    plan: PlanItem,
  ): Promise<IntakeResult> {
    const platformMax = videosEnv.get().VIDEO_MAX_DURATION_SECONDS;
    const items: PendingItem[] = [];
    const rejected: RejectedRow[] = [];
    const seen = new Set<string>();
    const storedKeys: string[] = [];
    const inline = this.inlineImages(who.tenantId, batchId, storedKeys);
    let count = 0;
    try {
      for await (const r of rows) {
        if (++count > maxItems) throw new DomainError('batch_too_large', `This batch input has more than ${maxItems} items.`, { max_items: maxItems });
        if ('unreadable' in r) {
          rejected.push({ row: r.row, custom_id: null, errors: [{ param: 'item', code: 'unreadable', message: r.unreadable }] });
          continue;
        }
        const checked = validateRow(r.row, r.raw, who.limits, platformMax, archive !== undefined);
        const customId = 'item' in checked ? checked.item.customId : customIdOf(r.raw);
        const errors = 'errors' in checked ? checked.errors : [];
        if (customId !== null && seen.has(customId))
          errors.push({ param: 'custom_id', code: 'duplicate_custom_id', message: 'is used by an earlier row of this batch' });
        if (customId !== null) seen.add(customId);
        const target = 'item' in checked && !errors.length ? planned(plan, checked.item, errors) : undefined;
        if (errors.length || !('item' in checked) || !target) rejected.push({ row: r.row, custom_id: customId, errors });
        else if (checked.item.image.startsWith('data:')) items.push({ ...checked.item, target, ...(await inline.take(checked.item.image)) });
        else items.push({ ...checked.item, target });
      }
      return await this.resolveImages(who, batchId, items, rejected, archive, storedKeys);
    } catch (e) {
      // Refused part-way (too many rows, an unreadable file, a store outage): the images already
      // stored belong to no batch; a refusal after reading leaves them to the caller (storedKeys).
      await inline.settled();
      await Promise.all(storedKeys.map((k) => this.storage.delete(k).catch(() => undefined)));
      throw e;
    }
  }

  /**
   * Data-URI images checked and stored while the rows are still being read, each distinct one
   * once: a row's item keeps only the promise of its stored image, so a batch file of
   * BATCH_INPUT_MAX_BYTES made of inline images never sits in memory. The process holds at most
   * BATCH_IMAGE_CONCURRENCY images at once however many batches are being created (ten 60 MiB
   * uploads at once stay within the pod's memory); a reader waits for a slot.
   */
  private inlineImages(tenantId: string, batchId: string, storedKeys: string[]) {
    const byDigest = new Map<string, Promise<VideoInputRef | DomainError>>();
    const inFlight = new Set<Promise<unknown>>();
    const store = async (uri: string, digest: string): Promise<VideoInputRef | DomainError> => {
      try {
        const image = await this.images.check({ kind: 'data_uri', uri });
        const key = `inputs/${tenantId}/${batchId}-${digest}.${image.ext}`;
        await this.storage.put(key, image.buffer, image.mime);
        storedKeys.push(key);
        return {
          source: 'data_uri' as const,
          storage_key: key,
          content_type: image.mime,
          width: image.width,
          height: image.height,
          bytes: image.buffer.length,
          sha256: image.sha256,
        };
      } catch (e) {
        if (isImageRefusal(e)) return e;
        throw e;
      }
    };
    return {
      /** The item's image as a short name and the promise of its stored copy: the URI itself is let go. */
      take: async (uri: string): Promise<{ image: string; inline: Promise<VideoInputRef | DomainError> }> => {
        const digest = createHash('sha256').update(uri).digest('hex').slice(0, 16);
        let ref = byDigest.get(digest);
        if (!ref) {
          // Reading waits here for a slot: the file's later rows stay on disk meanwhile.
          const release = await inlineImageSlots.acquire();
          ref = store(uri, digest);
          // Awaited with the other items' images after reading; until then a failure is not unhandled.
          const done = ref.then(release, release);
          inFlight.add(done);
          void done.then(() => inFlight.delete(done));
          byDigest.set(digest, ref);
        }
        return { image: `data:sha256-${digest}`, inline: ref };
      },
      /** Every store started has ended (so storedKeys is complete). */
      settled: () => Promise.all(inFlight),
    };
  }

  private async resolveImages(
    who: TenantPrincipal,
    batchId: string,
    items: PendingItem[],
    rejected: RejectedRow[],
    archive: string | undefined,
    storedKeys: string[],
  ): Promise<IntakeResult> {
    const { tenantId } = who;
    const fileIds = [...new Set(items.filter((i) => i.image.startsWith('file_')).map((i) => i.image))];
    // Only files of the batch's own mode: the other mode's ids are unknown ids.
    const files = await this.files.getMany(tenantId, fileIds, who.livemode);
    const members = archive === undefined ? new Map<string, VideoInputRef | DomainError>() : await this.archiveImages(who, batchId, archive, items, storedKeys);

    const ready: ReadyItem[] = [];
    const resolved = await Promise.all(
      items.map(async (item): Promise<VideoInputRef | DomainError> => {
        if (item.inline) return item.inline;
        if (item.image.startsWith('file_')) {
          const file = files.get(item.image);
          if (!file) return new DomainError('file_not_found', `No file with id '${item.image.slice(0, 64)}'.`);
          if (file.status !== 'ready') return uploadIncomplete(file.id);
          // Its image is gone (retention): refused here, as POST /v1/videos refuses it, not failed when the item runs.
          if (file.expiredAt)
            return new DomainError(
              'file_expired',
              `File '${file.id}' passed your plan's retention on ${file.expiredAt.toISOString()}; upload the image again.`,
            );
          return fileInputRef(file);
        }
        const member = members.get(item.image);
        if (member) return member;
        // Fetched by the worker when the item runs; the empty facts are filled in then.
        return { source: 'url', url: item.image, storage_key: '', content_type: '', width: 0, height: 0, bytes: 0, sha256: '' };
      }),
    );
    const tracks = await this.soundTracks(who, batchId, items, storedKeys);
    const lateRejects: RejectedRow[] = [];
    items.forEach((item, i) => {
      const input = resolved[i]!;
      const track = item.audioFile === undefined ? undefined : tracks.get(item.audioFile)!;
      const { inline: _, ...rest } = item;
      const errors = [
        ...(input instanceof DomainError ? [{ param: 'image', code: input.code, message: input.message }] : []),
        ...(track instanceof DomainError ? [{ param: 'audio_file', code: track.code, message: track.message }] : []),
      ];
      if (errors.length) lateRejects.push({ row: item.row, custom_id: item.customId, errors });
      else if (track)
        ready.push({
          ...rest,
          input: input as VideoInputRef,
          target: { ...item.target, postProduction: { ...item.target.postProduction!, audio_input: track as AudioInputRef } },
        });
      else ready.push({ ...rest, input: input as VideoInputRef });
    });
    const all = lateRejects.length ? [...rejected, ...lateRejects].sort((a, b) => a.row - b.row) : rejected;
    return { items: ready, rejected: all, storedKeys };
  }

  /**
   * The rows' sound tracks (`audio_file`), each distinct one once, checked as POST /v1/videos
   * checks them and with its codes: a `file_` id must be the caller's, of its mode, uploaded with
   * purpose `audio` and complete (checked when it was uploaded); a URL is fetched from public
   * addresses only, checked, and copied to our storage once for every row naming it, so the
   * worker never fetches it. A refusal refuses only the rows that name it.
   */
  private async soundTracks(
    who: TenantPrincipal,
    batchId: string,
    items: BatchItem[],
    storedKeys: string[],
  ): Promise<Map<string, AudioInputRef | DomainError>> {
    const asked = [...new Set(items.map((i) => i.audioFile).filter((a) => a !== undefined))];
    const found = new Map<string, AudioInputRef | DomainError>();
    if (!asked.length) return found;
    const files = await this.files.getMany(
      who.tenantId,
      asked.filter((a) => a.startsWith('file_')),
      who.livemode,
    );
    const urls: string[] = [];
    for (const ask of asked) {
      if (!ask.startsWith('file_')) {
        urls.push(ask);
        continue;
      }
      const file = files.get(ask);
      if (!file) found.set(ask, new DomainError('file_not_found', `No file with id '${ask.slice(0, 64)}'.`));
      else if (file.status !== 'ready') found.set(ask, uploadIncomplete(file.id));
      else if (file.expiredAt)
        found.set(
          ask,
          new DomainError('file_expired', `File '${file.id}' passed your plan's retention on ${file.expiredAt.toISOString()}; upload the sound track again.`),
        );
      else if (file.purpose !== 'audio')
        found.set(
          ask,
          new DomainError(
            'audio_file_not_usable',
            `File '${file.id}' is not a sound track: upload it with purpose \`audio\` (it was uploaded as \`${file.purpose}\`).`,
          ),
        );
      else found.set(ask, { source: 'file', storage_key: file.storageKey, content_type: file.contentType, bytes: file.bytes, sha256: file.sha256 });
    }
    // A few at a time: each fetch holds up to AUDIO_MAX_BYTES.
    for (let i = 0; i < urls.length; i += AUDIO_FETCHES_AT_ONCE) {
      await Promise.all(
        urls.slice(i, i + AUDIO_FETCHES_AT_ONCE).map(async (url) => {
          try {
            const track = await this.audio.check({ kind: 'url', url });
            const key = `inputs/${who.tenantId}/${batchId}-${track.sha256.slice(0, 16)}.audio.${track.ext}`;
            await this.storage.put(key, track.buffer, track.mime);
            storedKeys.push(key);
            found.set(url, { source: 'url', storage_key: key, content_type: track.mime, bytes: track.buffer.length, sha256: track.sha256 });
          } catch (e) {
            if (!(e instanceof DomainError) || !e.code.startsWith('audio_')) throw e;
            found.set(url, e);
          }
        }),
      );
    }
    return found;
  }

  /**
   * The images rows name inside the batch's archive, each read (one member at a time, in archive
   * order), checked as an uploaded image is and stored once; a name the archive does not hold is
   * refused for its rows. The archive itself was checked for hostile content when it was uploaded
   * and its caps hold again while it is read.
   */
  private async archiveImages(
    who: TenantPrincipal,
    batchId: string,
    archiveId: string,
    items: BatchItem[],
    storedKeys: string[],
  ): Promise<Map<string, VideoInputRef | DomainError>> {
    const wanted = new Set(items.map((i) => i.image).filter(isMemberName));
    const found = new Map<string, VideoInputRef | DomainError>();
    if (!wanted.size) return found;
    await this.files.withArchive(who.tenantId, archiveId, who.livemode, async (archive) => {
      const inFlight = new Set<Promise<void>>();
      await archive.each(wanted, async (name, bytes) => {
        const task = this.storeMember(who.tenantId, batchId, bytes, storedKeys).then((ref) => {
          found.set(name, ref);
        });
        inFlight.add(task);
        void task.finally(() => inFlight.delete(task)).catch(() => undefined);
        if (inFlight.size >= MEMBERS_IN_FLIGHT) await Promise.race(inFlight);
      });
      await Promise.all(inFlight);
    });
    for (const name of wanted)
      if (!found.has(name)) found.set(name, new DomainError('archive_member_not_found', `The image archive holds no member named '${name.slice(0, 200)}'.`));
    return found;
  }

  private async storeMember(tenantId: string, batchId: string, bytes: Buffer, storedKeys: string[]): Promise<VideoInputRef | DomainError> {
    try {
      const image = await this.images.check({ kind: 'upload', buffer: bytes });
      const key = `inputs/${tenantId}/${batchId}-${image.sha256.slice(0, 16)}.${image.ext}`;
      await this.storage.put(key, image.buffer, image.mime);
      storedKeys.push(key);
      return {
        source: 'upload',
        storage_key: key,
        content_type: image.mime,
        width: image.width,
        height: image.height,
        bytes: image.buffer.length,
        sha256: image.sha256,
      };
    } catch (e) {
      if (isImageRefusal(e)) return e;
      throw e;
    }
  }
}

/** Slots for data-URI images being checked and stored, shared by every batch being created in this process. */
const inlineImageSlots = (() => {
  let active = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return {
    async acquire(): Promise<() => void> {
      while (active >= batchesEnv.get().BATCH_IMAGE_CONCURRENCY) await new Promise<void>((r) => waiting.push(r));
      active++;
      return release;
    },
  };
})();

/** Sound-track URLs fetched and checked at once while a batch is created. */
const AUDIO_FETCHES_AT_ONCE = 4;

/** Runs at most this many member checks and stores at once while the archive is read on: memory holds that many images. */
const MEMBERS_IN_FLIGHT = 4;

function isMemberName(image: string): boolean {
  return !image.startsWith('file_') && !image.startsWith('data:') && !/^https?:\/\//i.test(image);
}

function planned(plan: PlanItem, item: BatchItem, errors: FieldProblem[]): PlannedItem | undefined {
  try {
    return plan(item);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const listed = (e.extensions.errors as FieldProblem[] | undefined) ?? [{ param: 'item', code: e.code, message: e.message }];
    errors.push(...listed);
    return undefined;
  }
}

function customIdOf(raw: unknown): string | null {
  const v = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).custom_id : undefined;
  return typeof v === 'string' && v !== '' ? v.slice(0, 64) : null;
}
