import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { problemComponents, withProblemResponses } from './problem-responses.js';

/** `errorCodes`: every problem code the API may answer with, for the Problem schema's enum. */
export function buildOpenApiDocument(app: INestApplication, errorCodes: string[]): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Leoma API')
    .setDescription('Image-to-video generation served by the winning model of a Bittensor video subnet.\n\n' +
      'Text: every string a client sends (body fields at any depth, metadata keys and values, query parameters, path ids) may hold any Unicode text, ' +
      'tab, newline and carriage return included, but no other C0 control character (U+0000–U+001F) and no unpaired UTF-16 surrogate; ' +
      'such a string is refused with 400 `validation_failed` and an `errors[]` entry of code `invalid_characters` naming the param.')
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key: lk_live_…, lk_test_…, or lk_op_… for operators.' })
    .build();
  const doc = SwaggerModule.createDocument(app, config, { operationIdFactory: (_c, method) => method });
  doc.components = { ...doc.components, ...problemComponents(doc.components, errorCodes) };
  return withProblemResponses(doc);
}
