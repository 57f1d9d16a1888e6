import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

/** The customers' spec: what the reference at /docs and the SDKs' types are built from. */
const spec = JSON.parse(readFileSync('openapi/public.json', 'utf8'));

type Schema = {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  additionalProperties?: Schema | boolean;
};

/** Every property at any depth (inline objects, list items, compositions), named by its path. */
function undescribed(schema: Schema, path: string): string[] {
  const missing: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (!property.description?.trim()) missing.push(`${path}.${name}`);
    missing.push(...undescribed(property, `${path}.${name}`));
  }
  if (schema.items) missing.push(...undescribed(schema.items, `${path}[]`));
  for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) missing.push(...undescribed(part, path));
  if (typeof schema.additionalProperties === 'object') missing.push(...undescribed(schema.additionalProperties, `${path}{}`));
  return missing;
}

/**
 * A field or parameter without a description is one a customer has to guess about (its unit, its
 * default, what null means). This names each, so a new one arrives described: add `description`
 * to its @ApiProperty / @ApiQuery (a path id is described from its collection, see
 * src/platform/openapi/path-parameter-descriptions.ts), then `npm run openapi`.
 */
describe('openapi/public.json descriptions', () => {
  it('describes every schema property, at any depth', () => {
    const missing = Object.entries<Schema>(spec.components.schemas).flatMap(([name, schema]) => undescribed(schema, name));
    expect(missing).toEqual([]);
  });

  it('describes every parameter of every operation', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries<Record<string, { parameters?: { name: string; in: string; description?: string }[] }>>(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        for (const p of op.parameters ?? []) if (!p.description?.trim()) missing.push(`${method.toUpperCase()} ${path} ${p.in} ${p.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('counts what it checks, so an empty spec cannot pass', () => {
    const properties = Object.values<Schema>(spec.components.schemas).reduce((n, s) => n + Object.keys(s.properties ?? {}).length, 0);
    expect(properties).toBeGreaterThan(500);
  });
});
