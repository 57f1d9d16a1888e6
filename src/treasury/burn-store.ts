import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Burn, type BurnStatus } from './burn.entity.js';

/** Raised when a burn is no longer in the state a transition expects: another process moved it. */
export class BurnStateConflict extends Error {}

/**
 * Every change of a burn's status goes through here: one UPDATE guarded by the states it may come
 * from, in its own transaction, so two processes can never both take the same step.
 */
@Injectable()
export class BurnStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async transition(id: string, from: BurnStatus[], to: BurnStatus, patch: Partial<Burn> = {}, manager: EntityManager = this.db.manager): Promise<Burn> {
    const result = await manager
      .createQueryBuilder()
      .update(Burn)
      .set({ ...patch, status: to })
      .where('id = :id AND status IN (:...from)', { id, from })
      .execute();
    if (!result.affected) throw new BurnStateConflict(`burn ${id} is not in ${from.join('|')}; not moved to ${to}`);
    return manager.getRepository(Burn).findOneByOrFail({ id });
  }

  get(id: string): Promise<Burn | null> {
    return this.db.getRepository(Burn).findOneBy({ id });
  }

  /** Oldest first: the order they were signed in, which is nonce order. */
  inStates(states: BurnStatus[]): Promise<Burn[]> {
    return this.db.getRepository(Burn).createQueryBuilder('b').where('b.status IN (:...states)', { states }).orderBy('b.id', 'ASC').getMany();
  }
}
