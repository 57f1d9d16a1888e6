/** One page of any list endpoint. */
export interface Page<T> {
  data: T[];
  has_more: boolean;
}

/**
 * `for await (const item of paginate(...))`: every object of a cursor-paginated list, fetching
 * the next page (`starting_after` = the last id) only when the loop gets there.
 */
export async function* paginate<T extends { id: string }>(fetchPage: (startingAfter: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield* page.data;
    if (!page.has_more || page.data.length === 0) return;
    cursor = page.data.at(-1)!.id;
  }
}
