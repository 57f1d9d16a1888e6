/** Videos: create, estimate, read, cancel and delete, the job that generates one, its status transitions (`VideoTransitions`, the only writer of a status), events and content downloads. Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export { Video, type VideoInputRef, type VideoStatus } from './video.entity.js';
export { VideosQueue } from './videos-queue.js';
export { VideosModule } from './videos.module.js';
export { VideosWorkerModule } from './videos-worker.module.js';
export { StreamSlots } from './stream-slots.js';
export { videosEnv } from './videos.env.js';
export { VIDEO_STATUSES } from './dto/list-videos.query.js';
export { VideoTransitions } from './video-transitions.service.js';
export { BatchItems, type BatchItemSpend, type ManifestItem } from './batch-items.service.js';
export type { BatchItemOwner, NewBatchItem } from './batch-item-rows.js';
export { WaitingQueue, type PickedVideo } from './waiting-queue.service.js';
export { succeededLiveVideos } from './video-counts.js';
export * from './video-content.module.js';
export * from './video-content.service.js';
export { fileInputRef } from './file-input.js';
export { downloadName } from './download-name.js';
export { shareToken } from './share-links.js';
export { planRender, type RenderAsk } from './render-plan.js';
