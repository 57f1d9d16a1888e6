import { In, type DataSource, type EntityManager } from 'typeorm';
import { UsageRecord } from './usage-record.entity.js';

/** The usage records of the given videos: each succeeded video's seconds and the cost fixed when it settled. */
export function usageRecordsOf(db: DataSource | EntityManager, videoIds: string[]): Promise<UsageRecord[]> {
  return videoIds.length ? db.getRepository(UsageRecord).findBy({ videoId: In(videoIds) }) : Promise.resolve([]);
}
