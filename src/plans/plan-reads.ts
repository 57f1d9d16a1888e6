import type { EntityManager } from 'typeorm';
import { Plan } from './plan.entity.js';

/** The plan, or null when there is none (retired ones included), read through the caller's manager. */
export async function findPlan(db: Pick<EntityManager, 'findOneBy'>, code: string): Promise<Plan | null> {
  return db.findOneBy(Plan, { code });
}

/** Every plan, retired ones included, by code, read through the caller's manager. */
export async function allPlans(db: Pick<EntityManager, 'find'>): Promise<Plan[]> {
  return db.find(Plan, { order: { code: 'ASC' } });
}
