import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { ID_PREFIXES } from '../../src/platform/http/ids.js';
import { apiValidationPipe } from '../../src/platform/http/validation.js';
import { CreateVideoDto } from '../../src/videos/dto/create-video.dto.js';
import { EstimateBatchDto } from '../../src/videos/dto/estimate.object.js';
import { CreateBatchDto } from '../../src/batches/dto/create-batch.dto.js';
import { CreateUploadsDto } from '../../src/files/dto/create-uploads.dto.js';
import { CreateWebhookEndpointDto, RotateSecretDto, UpdateWebhookEndpointDto } from '../../src/webhooks/dto/webhook-endpoint.dto.js';
import { CreateDestinationDto } from '../../src/destinations/dto/destination.dto.js';
import { CreateAlertDto, GrantCreditsDto } from '../../src/usage/dto/billing-controls.dto.js';
import { CheckoutDto } from '../../src/billing/dto/billing-inputs.dto.js';
import { CreditCheckoutDto } from '../../src/billing/credits/credit-purchases.js';
import { CreateApiKeyDto, RollApiKeyDto } from '../../src/keys/dto/create-api-key.dto.js';
import { EmailLinkDto, SignUpDto, SwitchTenantDto, VerifyLinkDto } from '../../src/people/dto/sign-in.dto.js';
import { AcceptInvitationDto, ChangeRoleDto, InviteMemberDto } from '../../src/people/dto/members.dto.js';
import { AddSsoDomainDto, SsoSettingsDto, StartOperatorSsoDto, StartSsoDto } from '../../src/people/dto/sso.dto.js';
import { CreateClaimLinkDto } from '../../src/people/dto/claim-links.dto.js';
import { CreateFundingDto } from '../../src/treasury/dto/create-funding.dto.js';
import { CreateBurnPolicyDto } from '../../src/treasury/dto/burn-policy.dto.js';
import { CreateTenantDto, UpdateTenantDto } from '../../src/tenants/dto/tenant-input.dto.js';
import { CreateOperatorDto } from '../../src/operators/dto/create-operator.dto.js';
import { PutModerationSettingsDto } from '../../src/moderation/dto/moderation.objects.js';
import { CreateBackendDto, UpdateBackendDto } from '../../src/backends/dto/backend.dto.js';
import { PutModelCapabilitiesDto } from '../../src/model-capabilities/dto/model-capabilities.dto.js';
import { EraseTenantDto } from '../../src/retention/dto/erase-tenant.dto.js';
import { CreatePlanDto, PublishPlanPriceDto, UpdatePlanDto } from '../../src/contracts/dto/plan-input.dto.js';
import { ContractInputDto, RenewContractDto } from '../../src/contracts/dto/contract-input.dto.js';

/**
 * Integrators read the examples in /docs and generated clients copy them, so every operation
 * parameter and every request-body field has one, and each is valid for its own schema: an
 * example a request would be refused with is worse than none. openapi.test.ts keeps the
 * committed spec equal to what the app serves, so this reads the committed file.
 */
const spec = JSON.parse(readFileSync('openapi/openapi.json', 'utf8'));

type Schema = Record<string, any>;
const COMPONENTS = 'components';
const PREFIXES = new Set<string>(Object.values(ID_PREFIXES));

/** OpenAPI 3.0 schemas for ajv: component refs point into one registered schema. */
function forAjv<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/components/schemas/', `"${COMPONENTS}#/definitions/`));
}

function validator(doc: Schema) {
  const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false, allErrors: true });
  // Annotations OpenAPI 3.0 adds to JSON Schema; `nullable` ajv knows.
  ajv.addVocabulary(['example', 'xml', 'externalDocs', 'discriminator']);
  ajv.addFormat('date-time', {
    type: 'string',
    validate: (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)),
  });
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) });
  // A file part: its example would be bytes, which JSON cannot hold; such fields are exempt below.
  ajv.addFormat('binary', true);
  ajv.addSchema({ $id: COMPONENTS, definitions: forAjv(doc.components.schemas) });
  return (schema: Schema, example: unknown): string | null => {
    const ok = ajv.validate(forAjv(schema), example);
    return ok ? null : ajv.errorsText(ajv.errors, { dataVar: 'example' });
  };
}

/** Every place an example is missing or wrong: operation parameters and request-body fields (following refs). */
function exampleProblems(doc: Schema): string[] {
  const problems: string[] = [];
  const valid = validator(doc);
  const schemas: Record<string, Schema> = doc.components.schemas;
  const refName = (s: Schema) => (typeof s.$ref === 'string' ? s.$ref.split('/').pop()! : undefined);
  const binary = (s: Schema): boolean => s.format === 'binary' || (s.type === 'array' && !!s.items && binary(s.items));

  const check = (where: string, schema: Schema, example: unknown) => {
    const error = valid(schema, example);
    if (error) problems.push(`${where}: example ${JSON.stringify(example).slice(0, 120)} does not fit its schema (${error})`);
    // Ids in examples use the prefixes the API makes (src/platform/http/ids.ts).
    const text = JSON.stringify(example) ?? '';
    for (const [, prefix] of text.matchAll(/"([a-z]+)_[0-9a-z]{26}"/g)) if (!PREFIXES.has(prefix!)) problems.push(`${where}: ${prefix}_… is no id prefix`);
  };

  /** A field needs its own example unless it is an object (its fields have theirs) or a reference to one. */
  const field = (where: string, schema: Schema, seen: Set<string>) => {
    if (schema.example !== undefined) return check(where, schema, schema.example);
    const ref = refName(schema);
    if (ref) return seen.has(ref) ? undefined : body(where, schemas[ref]!, new Set(seen).add(ref));
    const parts: Schema[] = schema.allOf ?? schema.oneOf ?? schema.anyOf ?? [];
    if (parts.length) {
      for (const part of parts) field(where, part, seen);
      return;
    }
    if (schema.properties) return body(where, schema, seen);
    if (schema.type === 'array' && schema.items && (refName(schema.items) || schema.items.properties)) return field(`${where}[]`, schema.items, seen);
    if (!binary(schema)) problems.push(`${where}: no example`);
  };
  const body = (where: string, schema: Schema, seen: Set<string>) => {
    for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) field(`${where}.${name}`, property, seen);
    for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) field(where, part, seen);
  };

  for (const [path, item] of Object.entries<Schema>(doc.paths)) {
    for (const [method, op] of Object.entries<Schema>(item)) {
      const name = `${method.toUpperCase()} ${path}`;
      for (const p of op.parameters ?? []) {
        const where = `${name} ${p.in} parameter ${p.name}`;
        const examples = [
          ...(p.example !== undefined ? [p.example] : []),
          ...(p.schema?.example !== undefined ? [p.schema.example] : []),
          ...Object.values<Schema>(p.examples ?? {}).map((e) => e.value),
        ];
        if (!examples.length) problems.push(`${where}: no example`);
        for (const example of examples) check(where, p.schema ?? {}, example);
      }
      for (const [type, media] of Object.entries<Schema>(op.requestBody?.content ?? {})) {
        const ref = refName(media.schema ?? {});
        const where = `${name} ${type} body${ref ? ` (${ref})` : ''}`;
        field(where, media.schema ?? {}, new Set());
        for (const [key, example] of Object.entries<Schema>(media.examples ?? {})) check(`${where} example ${key}`, media.schema ?? {}, example.value);
      }
    }
  }
  return problems;
}

/** The classes behind the JSON request bodies, by schema name, so their examples go through the API's own validation. */
const BODY_CLASSES: Record<string, new () => object> = {
  CreateDestinationDto,
  SignUpDto,
  EmailLinkDto,
  VerifyLinkDto,
  SwitchTenantDto,
  InviteMemberDto,
  ChangeRoleDto,
  AcceptInvitationDto,
  SsoSettingsDto,
  StartSsoDto,
  StartOperatorSsoDto,
  AddSsoDomainDto,
  CreateClaimLinkDto,
  CreateVideoDto,
  CreateUploadsDto,
  EstimateBatchDto,
  CreateBatchDto,
  CreateWebhookEndpointDto,
  UpdateWebhookEndpointDto,
  RotateSecretDto,
  CreateAlertDto,
  CheckoutDto,
  CreditCheckoutDto,
  CreateApiKeyDto,
  RollApiKeyDto,
  CreateFundingDto,
  CreateTenantDto,
  UpdateTenantDto,
  CreateOperatorDto,
  PutModerationSettingsDto,
  GrantCreditsDto,
  CreateBackendDto,
  UpdateBackendDto,
  PutModelCapabilitiesDto,
  EraseTenantDto,
  CreateBurnPolicyDto,
  CreatePlanDto,
  UpdatePlanDto,
  PublishPlanPriceDto,
  ContractInputDto,
  RenewContractDto,
};

/** The request a client copying every field's example would send. */
function composed(doc: Schema, schema: Schema): unknown {
  if (schema.example !== undefined) return schema.example;
  if (schema.$ref) return composed(doc, doc.components.schemas[schema.$ref.split('/').pop()]);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part: Schema) => composed(doc, part)));
  if (schema.type === 'array' && schema.items) return [composed(doc, schema.items)];
  return Object.fromEntries(Object.entries<Schema>(schema.properties ?? {}).map(([name, p]) => [name, composed(doc, p)]));
}

/** JSON bodies made of their fields' examples that the API's validation pipe refuses, with why. */
async function refusedBodies(doc: Schema): Promise<string[]> {
  const refused: string[] = [];
  const refuse = (where: string) => (e: { message: string }) => refused.push(`${where}: ${e.message}`);
  for (const [name, wholeExamples] of jsonBodies(doc)) {
    const validate = (body: unknown) => apiValidationPipe().transform(structuredClone(body), { type: 'body', metatype: BODY_CLASSES[name] });
    await validate(composed(doc, doc.components.schemas[name])).catch(refuse(name));
    for (const [key, example] of Object.entries(wholeExamples)) await validate(example.value).catch(refuse(`${name} example ${key}`));
  }
  return refused;
}

/** The JSON request bodies' schema names, with the whole-request examples an operation gives. */
function jsonBodies(doc: Schema): Map<string, Record<string, { value: unknown }>> {
  const bodies = new Map<string, Record<string, { value: unknown }>>();
  for (const item of Object.values<Schema>(doc.paths)) {
    for (const op of Object.values<Schema>(item)) {
      const media = op.requestBody?.content?.['application/json'];
      const ref: string | undefined = media?.schema?.$ref;
      if (ref) bodies.set(ref.split('/').pop()!, { ...bodies.get(ref.split('/').pop()!), ...(media.examples ?? {}) });
    }
  }
  return bodies;
}

describe('openapi/openapi.json examples', () => {
  it('gives every parameter and request-body field an example that fits its schema', () => {
    expect(exampleProblems(spec)).toEqual([]);
  });

  /** A schema cannot say everything the API checks (integers, patterns, dates in the future, the size table). */
  it("passes the API's validation with each JSON body made of its fields' examples", async () => {
    expect(
      [...jsonBodies(spec).keys()].filter((n) => !BODY_CLASSES[n]),
      'add the new body class to BODY_CLASSES',
    ).toEqual([]);
    expect(await refusedBodies(spec)).toEqual([]);
  });

  /** The check above passing proves nothing unless it can fail: break a copy of the spec in each way it looks for. */
  it('names a missing example, a wrong one, an id with an unknown prefix and a body the API refuses', async () => {
    const broken = structuredClone(spec);
    const video = broken.components.schemas.CreateVideoDto.properties;
    delete video.seed.example;
    video.resolution.example = '4k';
    video.duration_seconds.example = 600;
    broken.components.schemas.LimitOverridesDto.properties.retention_days.example = 'a year';
    broken.components.schemas.CreateApiKeyDto.properties.expires_at.example = '31/12/2027';
    const list = broken.paths['/v1/videos'].get.parameters;
    list.find((p: Schema) => p.name === 'status').example = 'done';
    delete list.find((p: Schema) => p.name === 'limit').example;
    list.find((p: Schema) => p.name === 'batch_id').example = 'batch_01jd3v8m7k2q9x4r5s6t7v8w9x';
    // Fit the schema, but not the validators: a fraction where an integer is due, an odd frame width.
    broken.components.schemas.CreateApiKeyDto.properties.rate_limit_per_minute.example = 1.5;
    broken.components.schemas.PutModelCapabilitiesDto.properties.sizes.example = { '480p': { '16:9': { width: 833, height: 480 } } };
    broken.paths['/v1/batches'].post.requestBody.content['application/json'].examples.input_file_id.value.format = 'xml';
    const refused = (await refusedBodies(broken)).join('\n');
    expect(refused).toMatch(/CreateBatchDto example input_file_id: format: format must be one of/);
    expect(refused).toMatch(/CreateApiKeyDto: .*rate_limit_per_minute must be an integer/);
    expect(refused).toMatch(/PutModelCapabilitiesDto: sizes: must map/);
    const problems = exampleProblems(broken).join('\n');
    for (const expected of [
      /CreateVideoDto\)?\.seed: no example/,
      /CreateVideoDto\)?\.resolution: example "4k" does not fit .*allowed values/,
      /CreateVideoDto\)?\.duration_seconds: example 600 does not fit .*<= 60/,
      /limit_overrides\.retention_days: example "a year" does not fit .*must be number/,
      /CreateApiKeyDto\)?\.expires_at: example "31\/12\/2027" does not fit .*date-time/,
      /GET \/v1\/videos query parameter status: example "done" does not fit/,
      /GET \/v1\/videos query parameter limit: no example/,
      /GET \/v1\/videos query parameter batch_id: batch_… is no id prefix/,
      /POST \/v1\/batches application\/json body \(CreateBatchDto\) example input_file_id: example .* does not fit/,
    ])
      expect(problems).toMatch(expected);
  });
});
