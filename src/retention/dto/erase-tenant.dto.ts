import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

export class EraseTenantDto {
  @ApiProperty({ example: 'ten_01jd3v8m7k2q9x4r5s6t7v8w9x', description: "The tenant's id again, to confirm: erasure cannot be undone." })
  @IsString()
  @MaxLength(100)
  confirm: string;
}

export class TenantErasureObject {
  @ApiProperty({ enum: ['tenant_erasure'] }) object: 'tenant_erasure';
  @ApiProperty() tenant_id: string;
  @ApiProperty({ description: 'Videos deleted by this call (their usage rows stay).' }) videos_deleted: number;
  @ApiProperty({ description: 'Files deleted by this call.' }) files_deleted: number;
  @ApiProperty({ description: 'True when content is left (the call stops after ERASE_MAX_PER_REQUEST objects): call again.' }) has_more: boolean;
}
