import type { VideoInputRef } from './video.entity.js';

/** The facts of an uploaded file a video's input records (fields of the files module's StoredFile). */
interface UploadedFile {
  id: string;
  storageKey: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
}

/** A video's input when its image is an uploaded `file_…`: one shape for single videos and batch items. */
export const fileInputRef = (file: UploadedFile): VideoInputRef => ({
  source: 'file',
  file_id: file.id,
  storage_key: file.storageKey,
  content_type: file.contentType,
  width: file.width,
  height: file.height,
  bytes: file.bytes,
  sha256: file.sha256,
});
