import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { MEMBER_ROLES, type MemberRole } from '../roles.js';

export class InviteMemberDto {
  @ApiProperty({ example: 'grace@example.com', maxLength: 254 })
  @IsEmail({ allow_display_name: false, allow_ip_domain: false })
  @MaxLength(254)
  email: string;

  @ApiProperty({ enum: MEMBER_ROLES, example: 'developer', description: 'Only an owner may invite an owner.' })
  @IsIn(MEMBER_ROLES)
  role: MemberRole;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: MEMBER_ROLES, example: 'billing', description: 'Only an owner may make or demote an owner; a tenant keeps at least one.' })
  @IsIn(MEMBER_ROLES)
  role: MemberRole;
}

export class AcceptInvitationDto {
  @ApiProperty({ example: 'q3VfX2x0b2tlbi1mcm9tLXRoZS1pbnZpdGF0aW9uLWxpbmstMTIz', maxLength: 200, description: 'The `token` of the invitation link.' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  token: string;
}

export class MemberObject {
  @ApiProperty({ example: 'usr_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'The user id.' }) id: string;
  @ApiProperty({ enum: ['member'] }) object: 'member';
  @ApiProperty() tenant_id: string;
  @ApiProperty({ example: 'grace@example.com' }) email: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class MemberList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [MemberObject] }) data: MemberObject[];
  @ApiProperty() has_more: boolean;
}

export class InvitationObject {
  @ApiProperty({ example: 'inv_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['invitation'] }) object: 'invitation';
  @ApiProperty() tenant_id: string;
  @ApiProperty() email: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: string;
  @ApiProperty({ description: 'The user, or `key_…` for an API key, that invited.' }) invited_by: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) accepted_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revoked_at: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class InvitationList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [InvitationObject] }) data: InvitationObject[];
  @ApiProperty() has_more: boolean;
}
