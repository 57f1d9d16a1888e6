import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class AuditRef {
  @ApiProperty() type: string;
  @ApiProperty() id: string;
}

export class AuditEntryObject {
  @ApiProperty({ example: 'aud_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['audit_entry'] }) object: 'audit_entry';
  @ApiProperty({ type: String, nullable: true }) tenant_id: string | null;
  @ApiProperty({ description: 'Position in the chain (per tenant).' }) seq: number;
  @ApiProperty({ type: AuditRef, description: 'operator id, or the API key a tenant used' }) actor: AuditRef;
  @ApiProperty({ example: 'api_key.revoked' }) action: string;
  @ApiProperty({ type: AuditRef }) target: AuditRef;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) before: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true }) after: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) request_id: string | null;
  @ApiProperty() prev_hash: string;
  @ApiProperty() hash: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class AuditEntryList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [AuditEntryObject] }) data: AuditEntryObject[];
  @ApiProperty() has_more: boolean;
}

export class ChainVerdict {
  @ApiProperty() ok: boolean;
  @ApiProperty() entries: number;
  @ApiPropertyOptional({ description: 'The first entry that does not match.' }) broken_at?: string;
  @ApiPropertyOptional() reason?: string;
}
