import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MaxLength } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ProblemException } from './problem.js';

export class ListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10, description: 'Number of objects to return.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: an object id; returns objects created before it (next page).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  starting_after?: string;

  @ApiPropertyOptional({ description: 'Cursor: an object id; returns objects created after it (previous page).' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ending_before?: string;
}

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** Which way a list request pages: its cursor (if any), the comparison with it and the order to read in. */
export interface PageWindow {
  limit: number;
  cursor: { op: '<' | '>'; id: string } | null;
  order: 'DESC' | 'ASC';
}

/** Reads the cursor parameters of a list request; both cursors at once are a 400. */
export function pageWindow(query: ListQuery): PageWindow {
  if (query.starting_after && query.ending_before) {
    throw new ProblemException(400, 'validation_failed', 'Use starting_after or ending_before, not both.', {
      errors: [{ param: 'ending_before', code: 'mutually_exclusive', message: 'cannot be combined with starting_after' }],
    });
  }
  const limit = query.limit ?? 10;
  if (query.starting_after) return { limit, cursor: { op: '<', id: query.starting_after }, order: 'DESC' };
  if (query.ending_before) return { limit, cursor: { op: '>', id: query.ending_before }, order: 'ASC' };
  return { limit, cursor: null, order: 'DESC' };
}

/** The page from rows read in the window's order, limit + 1 of them: newest first, and whether there is more. */
export function pageOf<T>(rows: T[], window: PageWindow): { rows: T[]; hasMore: boolean } {
  const hasMore = rows.length > window.limit;
  const page = rows.slice(0, window.limit);
  if (window.order === 'ASC') page.reverse();
  return { rows: page, hasMore };
}

/**
 * Newest-first cursor pagination over a time-sortable id column (our ids are ULIDs, so id order
 * is creation order). Fetches one extra row to know whether there is more.
 */
export async function paginate<E extends ObjectLiteral>(
  qb: SelectQueryBuilder<E>,
  query: ListQuery,
  idColumn = `${qb.alias}.id`,
): Promise<{ rows: E[]; hasMore: boolean }> {
  const window = pageWindow(query);
  if (window.cursor) qb.andWhere(`${idColumn} ${window.cursor.op} :cursor`, { cursor: window.cursor.id });
  qb.orderBy(idColumn, window.order);
  return pageOf(await qb.take(window.limit + 1).getMany(), window);
}
