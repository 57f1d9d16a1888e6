import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { MEMBER_ROLES, type MemberRole } from '../roles.js';

export class InviteMemberDto {
  @ApiProperty({ example: 'grace@example.com', maxLength: 254, description: 'Who to invite; the invitation is emailed there.' })
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
  @ApiProperty({ enum: ['member'], description: "String naming the object's type: always `member`." }) object: 'member';
  @ApiProperty({ description: 'The tenant (`ten_…`).' }) tenant_id: string;
  @ApiProperty({ example: 'grace@example.com', description: "The member's email address." }) email: string;
  @ApiProperty({ enum: MEMBER_ROLES, description: "The member's role in the tenant; it decides what the member's session may do." }) role: string;
  @ApiProperty({ format: 'date-time', description: 'When the member was created (ISO 8601, UTC).' }) created_at: string;
}

export class MemberList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [MemberObject], description: 'This page of members, newest first.' }) data: MemberObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}

export class InvitationObject {
  @ApiProperty({ example: 'inv_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Unique identifier of the invitation (`inv_…`).' }) id: string;
  @ApiProperty({ enum: ['invitation'], description: "String naming the object's type: always `invitation`." }) object: 'invitation';
  @ApiProperty({ description: 'The tenant invited to.' }) tenant_id: string;
  @ApiProperty({ description: 'The address invited.' }) email: string;
  @ApiProperty({ enum: MEMBER_ROLES, description: 'The role the invitee gets on accepting.' }) role: string;
  @ApiProperty({ description: 'The user, or `key_…` for an API key, that invited.' }) invited_by: string;
  @ApiProperty({ format: 'date-time', description: 'The invitation cannot be accepted after this.' }) expires_at: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was accepted; null until then.' }) accepted_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When it was revoked; null unless revoked.' }) revoked_at: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the invitation was created (ISO 8601, UTC).' }) created_at: string;
}

export class InvitationList {
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [InvitationObject], description: 'This page of invitations, newest first.' }) data: InvitationObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}
