import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class CreateDestinationDto {
  @ApiProperty({ maxLength: 63, example: 'acme-product-videos', description: 'The bucket the files are written to; it must exist.' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'bucket must be a valid S3 bucket name' })
  bucket: string;

  @ApiPropertyOptional({ maxLength: 32, default: 'us-east-1', example: 'eu-west-1', description: "The bucket's region (`auto` for R2)." })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9-]{2,32}$/, { message: 'region must be a region name such as eu-west-1' })
  region?: string;

  @ApiPropertyOptional({
    maxLength: 2048,
    example: 'https://0123456789abcdef.r2.cloudflarestorage.com',
    description:
      'An S3-compatible store (R2, MinIO, Wasabi, …): its https origin on a public address. Omit for AWS S3. Private addresses and plain http only for hosts the operator allowlisted (`DESTINATION_ENDPOINT_ALLOWLIST`).',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  endpoint?: string;

  @ApiPropertyOptional({ example: true, description: 'Path-style addressing (bucket in the path). Default: true with an `endpoint`, false for AWS S3.' })
  @IsOptional()
  @IsBoolean()
  force_path_style?: boolean;

  @ApiPropertyOptional({
    maxLength: 512,
    default: '',
    example: 'leoma/catalogue/',
    description: "Prepended to every object key as is (end it with '/' for a folder); no '..' segments.",
  })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  prefix?: string;

  @ApiProperty({
    maxLength: 128,
    example: 'AKIAIOSFODNN7EXAMPLE',
    description: 'Access key id of credentials that may put (and delete) objects under the prefix.',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  access_key_id: string;

  @ApiProperty({
    maxLength: 256,
    example: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    description: 'The secret access key. Stored encrypted; never returned or logged.',
    writeOnly: true,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  secret_access_key: string;

  @ApiPropertyOptional({ maxLength: 500, example: 'Product videos for the storefront CDN', description: 'Your own note, shown on the destination.' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
