import type { ExecutionContext } from '@nestjs/common';

/**
 * Something derived from a route's decorators, computed once per route: the metadata never
 * changes after start-up, and reading it through the Reflector on every request was measurable.
 * Keyed by class and handler, since a handler inherited by two controllers can differ by class.
 */
export class RouteCache<T> {
  private readonly byClass = new WeakMap<object, Map<object, T>>();

  get(ctx: ExecutionContext, compute: () => T): T {
    const cls = ctx.getClass();
    let routes = this.byClass.get(cls);
    if (!routes) this.byClass.set(cls, (routes = new Map()));
    const handler = ctx.getHandler();
    let value = routes.get(handler);
    if (value === undefined) routes.set(handler, (value = compute()));
    return value;
  }
}
