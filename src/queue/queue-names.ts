/** Every queue, and every job name on it. Each job name must have exactly one @JobHandler (checked at boot). */
export enum QueueName {
  Videos = 'videos',
  Maintenance = 'maintenance',
}

export enum JobName {
  GenerateVideo = 'video.generate',
  RequeueStaleVideos = 'video.requeue-stale',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.GenerateVideo]: QueueName.Videos,
  [JobName.RequeueStaleVideos]: QueueName.Maintenance,
};

export interface JobPayloads {
  [JobName.GenerateVideo]: { videoId: string };
  [JobName.RequeueStaleVideos]: Record<string, never>;
}
