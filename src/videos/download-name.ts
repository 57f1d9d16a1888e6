/**
 * The name a video's files go by: the item's `custom_id` (a SKU) when it has one, with `-<k>` for
 * variant k of a batch row that asked for `n` (the row's variants would otherwise share one
 * name), else the video id.
 */
export function itemName(video: { id: string; customId: string | null; variantIndex?: number }): string | null {
  if (video.customId === null) return null;
  return video.variantIndex ? `${video.customId}-${video.variantIndex}` : video.customId;
}

/**
 * The file name a download is saved as (see itemName). Characters a file system or a header cannot
 * carry become `_`; the result is safe both inside `filename="…"` and as a ZIP entry name (no
 * separators, no leading dot).
 */
export function downloadName(video: { id: string; customId: string | null; variantIndex?: number }, ext: string): string {
  const base =
    itemName(video)
      ?.replace(/[^A-Za-z0-9._ -]/g, '_')
      .replace(/^[.\s]+/, '_') || video.id;
  return `${base}.${ext}`;
}
