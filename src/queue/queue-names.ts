/** Every queue, and every job name on it. Each job name must have exactly one @JobHandler (checked at boot). */
export enum QueueName {
  Videos = 'videos',
}

export enum JobName {
  GenerateVideo = 'video.generate',
}

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.GenerateVideo]: QueueName.Videos,
};

export interface JobPayloads {
  [JobName.GenerateVideo]: { videoId: string };
}
