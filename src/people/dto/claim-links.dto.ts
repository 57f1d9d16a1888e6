import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, MaxLength } from 'class-validator';
import { MEMBER_ROLES, type MemberRole } from '../roles.js';

export class CreateClaimLinkDto {
  @ApiProperty({
    example: 'cto@customer.example',
    maxLength: 254,
    description: "The customer's first owner: the link is mailed here and works for this address.",
  })
  @IsEmail({ allow_display_name: false, allow_ip_domain: false })
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ enum: MEMBER_ROLES, default: 'owner', example: 'owner', description: 'The role the person gets in the tenant.' })
  @IsOptional()
  @IsIn(MEMBER_ROLES)
  role?: MemberRole;
}

export class ClaimLinkObject {
  @ApiProperty({ example: 'clm_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['claim_link'] }) object: 'claim_link';
  @ApiProperty() tenant_id: string;
  @ApiProperty({ example: 'cto@customer.example' }) email: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: string;
  @ApiProperty({ description: 'The operator who made it.' }) created_by: string;
  @ApiProperty({ enum: ['pending', 'accepted', 'revoked', 'expired'] }) status: 'pending' | 'accepted' | 'revoked' | 'expired';
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) accepted_at: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The user who accepted it.' }) accepted_by: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revoked_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class CreatedClaimLink extends ClaimLinkObject {
  @ApiProperty({
    example: 'https://api.leoma.example/console/claim?token=q3VfX2x0b2tlbi1mcm9tLXRoZS1jbGFpbS1saW5r',
    description: 'The link itself, shown only here (only its hash is kept); it is also mailed to `email`.',
  })
  url: string;
}

export class ClaimLinkList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [ClaimLinkObject] }) data: ClaimLinkObject[];
  @ApiProperty() has_more: boolean;
}
