import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * The customers' spec: the operator spec without operator-only operations (admin, treasury), and
 * without the components, tags and parameters only those used — found by following every `$ref`
 * from what stays, so nothing about the admin API leaks through a shared schema's neighbour.
 */
export function publicSpec(operatorSpec: OpenAPIObject): OpenAPIObject {
  const doc = structuredClone(operatorSpec) as OpenAPIObject & Record<string, unknown>;
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (op && typeof op === 'object' && (op as Record<string, unknown>)['x-operator-only']) delete (item as Record<string, unknown>)[method];
    }
    if (Object.keys(item).length === 0) delete doc.paths[path];
  }
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string' && !used.has(inner)) {
        used.add(inner);
        const [, , kind, name] = inner.split('/');
        visit((doc.components as Record<string, Record<string, unknown>>)[kind!]?.[name!]);
      } else visit(inner);
    }
  };
  const { components: _, ...rest } = doc;
  visit(rest);
  for (const [kind, entries] of Object.entries((doc.components ?? {}) as Record<string, Record<string, unknown>>)) {
    if (kind === 'securitySchemes') continue;
    for (const name of Object.keys(entries)) if (!used.has(`#/components/${kind}/${name}`)) delete entries[name];
  }
  const tagsInUse = new Set(Object.values(doc.paths).flatMap((item) => Object.values(item).flatMap((op) => (op as { tags?: string[] }).tags ?? [])));
  doc.tags = doc.tags?.filter((t) => tagsInUse.has(t.name));
  return doc;
}
