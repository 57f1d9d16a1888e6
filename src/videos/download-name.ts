/**
 * The file name a download is saved as: the item's `custom_id` (a SKU) when it has one, else the
 * video id. Characters a file system or a header cannot carry become `_`; the result is safe both
 * inside `filename="…"` and as a ZIP entry name (no separators, no leading dot).
 */
export function downloadName(video: { id: string; customId: string | null }, ext: string): string {
  const base = video.customId?.replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^[.\s]+/, '_') || video.id;
  return `${base}.${ext}`;
}
