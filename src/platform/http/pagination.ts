import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, MaxLength } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ProblemException } from './problem.js';

export class ListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10, description: 'Number of objects to return.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: an object id; returns objects created before it (next page).' })
  @IsOptional() @IsString() @MaxLength(64)
  starting_after?: string;

  @ApiPropertyOptional({ description: 'Cursor: an object id; returns objects created after it (previous page).' })
  @IsOptional() @IsString() @MaxLength(64)
  ending_before?: string;
}

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
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
  if (query.starting_after && query.ending_before) {
    throw new ProblemException(400, 'validation_failed', 'Use starting_after or ending_before, not both.', {
      errors: [{ param: 'ending_before', code: 'mutually_exclusive', message: 'cannot be combined with starting_after' }],
    });
  }
  const limit = query.limit ?? 10;
  if (query.starting_after) {
    qb.andWhere(`${idColumn} < :cursor`, { cursor: query.starting_after }).orderBy(idColumn, 'DESC');
  } else if (query.ending_before) {
    qb.andWhere(`${idColumn} > :cursor`, { cursor: query.ending_before }).orderBy(idColumn, 'ASC');
  } else {
    qb.orderBy(idColumn, 'DESC');
  }
  const rows = await qb.take(limit + 1).getMany();
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (query.ending_before) page.reverse();
  return { rows: page, hasMore };
}
