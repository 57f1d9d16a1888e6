import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class SignUpDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254, description: 'A verification link is sent here; nothing is created until it is opened.' })
  @IsEmail({ allow_display_name: false, allow_ip_domain: false })
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ example: 'Example Studio', maxLength: 100, description: "The new tenant's name (default: the email address)." })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  organization?: string;
}

export class EmailLinkDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254, description: 'Your email address; the link is sent there.' })
  @IsEmail({ allow_display_name: false, allow_ip_domain: false })
  @MaxLength(254)
  email: string;
}

export class VerifyLinkDto {
  @ApiProperty({ example: 'q3VfX2x0b2tlbi1mcm9tLXRoZS1lbWFpbC1saW5rLTEyMzQ1Ng', maxLength: 200, description: 'The `token` of the emailed link.' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token: string;
}

export class SwitchTenantDto {
  @ApiProperty({ example: 'ten_01jd3v8m7k2q9x4r5s6t7v8w9x', description: "The tenant to act in; one of the session's memberships." })
  @IsString()
  @MaxLength(64)
  tenant_id: string;
}
