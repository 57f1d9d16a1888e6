import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, any>;

/**
 * A route that takes multipart (x-multipart-file from @AcceptsBody) documents its form as the
 * JSON body's fields plus the file part as binary, so Swagger UI's "Try it out" and generated
 * clients can upload. (Object fields travel as JSON text in a form, as Swagger UI sends them.)
 */
export function withMultipartForms(doc: OpenAPIObject): OpenAPIObject {
  const schemas = (doc.components!.schemas ??= {}) as Record<string, Schema>;
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item) as Schema[]) {
      const field: string | undefined = op?.['x-multipart-file'];
      const form = op?.requestBody?.content?.['multipart/form-data'];
      if (!field || !form) continue;
      delete op['x-multipart-file'];
      const ref: string | undefined = form.schema?.$ref;
      const base: Schema = ref ? schemas[ref.split('/').pop()!]! : (form.schema ?? { type: 'object', properties: {} });
      const properties: Record<string, Schema> = { ...(base.properties ?? {}) };
      const image = field === 'image';
      properties[field] = {
        type: 'string',
        format: 'binary',
        description: image ? 'The image file: PNG, JPEG or WebP.' : (properties[field]?.description ?? 'The file.'),
      };
      const name = ref ? `${ref.split('/').pop()}Form` : undefined;
      const required = [...new Set([...(base.required ?? []), ...(ref ? [] : [field])])];
      // OpenAPI 3.0 wants `required` absent rather than empty.
      const schema = { type: 'object', ...(required.length ? { required } : {}), properties };
      if (name) schemas[name] = schema;
      form.schema = name ? { $ref: `#/components/schemas/${name}` } : schema;
      if (image) form.encoding = { [field]: { contentType: 'image/png, image/jpeg, image/webp' } };
    }
  }
  return doc;
}
