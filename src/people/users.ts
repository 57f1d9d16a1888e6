import type { EntityManager } from 'typeorm';
import { User } from './user.entity.js';
import { newId } from '../platform/http/ids.js';

export const normalEmail = (email: string) => email.trim().toLowerCase();

/** The user with this address, made now if there is none (the caller has just proven the address). */
export async function userFor(tx: EntityManager, email: string): Promise<User> {
  const found = await tx.findOneBy(User, { email });
  if (found) return found;
  await tx.query('insert into users (id, email, name) values ($1, $2, $3) on conflict (email) do nothing', [newId('user'), email, '']);
  return tx.findOneByOrFail(User, { email });
}
