import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsFQDN, IsIn, IsOptional, IsString, IsUrl, MaxLength, MinLength } from 'class-validator';
import { MEMBER_ROLES, type MemberRole } from '../roles.js';

export class SsoSettingsDto {
  @ApiProperty({
    example: 'https://login.example.com',
    maxLength: 500,
    description: 'The OpenID provider; its discovery document must name exactly this issuer.',
  })
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['https', 'http'] })
  @MaxLength(500)
  issuer: string;

  @ApiProperty({ example: 'leoma-console', maxLength: 200, description: 'The client id registered with your provider.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  client_id: string;

  @ApiPropertyOptional({
    example: 's3cr3t-from-the-provider',
    maxLength: 500,
    description: 'Required the first time; left out later, the stored one is kept. Never shown again.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  client_secret?: string;

  @ApiProperty({ type: [String], example: ['example.com'], description: 'Email domains whose users may sign in here (and join just in time).' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsFQDN({}, { each: true })
  allowed_domains: string[];

  @ApiPropertyOptional({ enum: MEMBER_ROLES, default: 'viewer', example: 'developer', description: 'The role of a user who joins just in time.' })
  @IsOptional()
  @IsIn(MEMBER_ROLES.filter((r) => r !== 'owner'))
  default_role?: MemberRole;

  @ApiPropertyOptional({ default: false, example: true, description: 'Email links (and sessions that did not come from SSO) stop reaching this tenant.' })
  @IsOptional()
  @IsBoolean()
  sso_required?: boolean;
}

export class StartSsoDto {
  @ApiPropertyOptional({ example: 'grace@example.com', maxLength: 254, description: 'Finds the tenant whose allowed domains hold the address.' })
  @IsOptional()
  @IsEmail({ allow_display_name: false, allow_ip_domain: false })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'ten_01jd3v8m7k2q9x4r5s6t7v8w9x', maxLength: 64, description: 'The tenant to sign in to through its SSO connection.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  tenant_id?: string;
}

export class StartOperatorSsoDto {
  @ApiPropertyOptional({ example: 'sam@staff.example', maxLength: 254, description: 'Passed to the provider as a login hint.' })
  @IsOptional()
  @IsEmail({ allow_display_name: false, allow_ip_domain: false })
  @MaxLength(254)
  email?: string;
}

export class SsoConnectionObject {
  @ApiProperty({ enum: ['sso_connection'], description: "String naming the object's type: always `sso_connection`." }) object: 'sso_connection';
  @ApiProperty({ description: 'The tenant this connection signs in to.' }) tenant_id: string;
  @ApiProperty({ description: "Your OpenID Connect provider's issuer URL." }) issuer: string;
  @ApiProperty({ description: 'The client id registered with your provider.' }) client_id: string;
  @ApiProperty({ type: [String], description: 'Email domains whose users may sign in through it (and join on first sign-in).' }) allowed_domains: string[];
  @ApiProperty({
    type: [String],
    description:
      'The allowed domains whose ownership a DNS TXT record proved (/v1/sso/domains): only their users join just in time, and only they route an address to this tenant.',
  })
  verified_domains: string[];
  @ApiProperty({ enum: MEMBER_ROLES, description: 'Role given to a user who joins on first SSO sign-in.' }) default_role: string;
  @ApiProperty({ description: 'When true, members may sign in only through SSO (no email links).' }) sso_required: boolean;
  @ApiProperty({ description: 'Register this as the redirect URI with the provider.' }) redirect_uri: string;
  @ApiProperty({ format: 'date-time', description: 'When the settings last changed.' }) updated_at: string;
}

export class SsoRedirect {
  @ApiProperty({ enum: ['sso_redirect'], description: "String naming the object's type: always `sso_redirect`." }) object: 'sso_redirect';
  @ApiProperty({ description: "Send the browser here (the provider's sign-in page)." }) url: string;
}

export class AddSsoDomainDto {
  @ApiProperty({ example: 'example.com', maxLength: 253, description: 'An email domain of your organisation, to prove by a DNS TXT record.' })
  @IsFQDN()
  @MaxLength(253)
  domain: string;
}

export class DomainVerificationRecord {
  @ApiProperty({ enum: ['TXT'], description: 'The DNS record type to publish: always `TXT`.' }) type: 'TXT';
  @ApiProperty({ example: 'example.com', description: 'Publish the record at the domain itself.' }) name: string;
  @ApiProperty({ example: 'leoma-verification=q3VfX2x0b2tlbi1mb3ItdGhlLWRvbWFpbg', description: 'The exact text of the TXT record.' }) value: string;
}

export class SsoDomainObject {
  @ApiProperty({ enum: ['sso_domain'], description: "String naming the object's type: always `sso_domain`." }) object: 'sso_domain';
  @ApiProperty({ example: 'example.com', description: 'The email domain, lower case.' }) domain: string;
  @ApiProperty({
    enum: ['pending', 'verified'],
    description: '`pending` until the TXT record is found by `POST /v1/sso/domains/{domain}/verify`, then `verified`.',
  })
  status: 'pending' | 'verified';
  @ApiProperty({ type: DomainVerificationRecord, description: 'The DNS record that proves you own the domain.' })
  verification: DomainVerificationRecord;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When ownership was proved; null while pending.' })
  verified_at: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'The last lookup.' }) checked_at: string | null;
  @ApiProperty({ format: 'date-time', description: 'When the domain was added.' }) created_at: string;
}

export class SsoDomainList {
  @ApiProperty({ enum: ['list'], description: "String naming the object's type: always `list`." }) object: 'list';
  @ApiProperty({ type: [SsoDomainObject], description: 'The domains, oldest first.' }) data: SsoDomainObject[];
  @ApiProperty({ description: 'Always false: every domain is in `data`.' }) has_more: boolean;
}
