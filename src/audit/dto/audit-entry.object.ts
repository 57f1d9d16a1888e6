import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class AuditRef {
  @ApiProperty({ description: 'What kind of thing it is, e.g. `api_key`, `operator`, `video`, `webhook_endpoint`.' }) type: string;
  @ApiProperty({ description: 'Its id.' }) id: string;
}

export class AuditEntryObject {
  @ApiProperty({ example: 'aud_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Unique identifier of the audit entry (`aud_…`).' }) id: string;
  @ApiProperty({ enum: ['audit_entry'], description: "String naming the object's type: always `audit_entry`." }) object: 'audit_entry';
  @ApiProperty({ type: String, nullable: true, description: 'The tenant the entry belongs to; null for an operator action on no tenant.' }) tenant_id:
    | string
    | null;
  @ApiProperty({ description: 'Position in the chain (per tenant).' }) seq: number;
  @ApiProperty({ type: AuditRef, description: 'operator id, or the API key a tenant used' }) actor: AuditRef;
  @ApiProperty({ example: 'api_key.revoked', description: 'What happened, as `<object>.<verb>`.' }) action: string;
  @ApiProperty({ type: AuditRef, description: 'The object the action changed.' }) target: AuditRef;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'The changed fields before the action (secrets left out); null when the object was created.',
  })
  before: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: true,
    description: 'The changed fields after the action (secrets left out); null when the object was deleted.',
  })
  after: Record<string, unknown> | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The `Request-Id` of the API request that did it; null for actions no request made (scheduled jobs).',
  })
  request_id: string | null;
  @ApiProperty({ description: "`hash` of the entry before it in the tenant's chain (hex), so a changed or removed entry is detectable." }) prev_hash: string;
  @ApiProperty({ description: 'SHA-256 (hex) over this entry and `prev_hash`.' }) hash: string;
  @ApiProperty({ format: 'date-time', description: 'When the audit entry was created (ISO 8601, UTC).' }) created_at: string;
}

export class AuditEntryList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [AuditEntryObject], description: 'This page of audit entrys, newest first.' }) data: AuditEntryObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}

export class ChainVerdict {
  @ApiProperty() ok: boolean;
  @ApiProperty() entries: number;
  @ApiPropertyOptional({ description: 'The first entry that does not match.' }) broken_at?: string;
  @ApiPropertyOptional() reason?: string;
}
