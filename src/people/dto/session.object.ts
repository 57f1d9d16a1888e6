import { ApiProperty } from '@nestjs/swagger';
import { ApiKeyWithSecret } from '../../keys/index.js';
import { MEMBER_ROLES } from '../roles.js';

export class LinkSent {
  @ApiProperty({ enum: ['sign_up', 'sign_in_link'] }) object: 'sign_up' | 'sign_in_link';
  @ApiProperty({ example: 'ada@example.com' }) email: string;
  @ApiProperty({ format: 'date-time', description: 'The link stops working then.' }) expires_at: string;
}

export class MembershipRef {
  @ApiProperty() tenant_id: string;
  @ApiProperty({ enum: MEMBER_ROLES }) role: string;
}

export class SessionObject {
  @ApiProperty({ example: 'ses_01jd3v8m7k2q9x4r5s6t7v8w9x' }) id: string;
  @ApiProperty({ enum: ['session'] }) object: 'session';
  @ApiProperty({ type: String, nullable: true, description: 'The signed-in user (null for an operator).' }) user_id: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The signed-in operator (null for a user).' }) operator_id: string | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The tenant this session acts in.' }) tenant_id: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The user's role there, or the operator's role." }) role: string | null;
  @ApiProperty({ type: [MembershipRef] }) memberships: MembershipRef[];
  @ApiProperty({ example: 'email_link' }) method: string;
  @ApiProperty() current: boolean;
  @ApiProperty() user_agent: string;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) last_seen_at: string;
  @ApiProperty({ format: 'date-time', description: 'Ends then unless used before (sliding).' }) idle_expires_at: string;
  @ApiProperty({ format: 'date-time', description: 'Ends then however much it is used.' }) absolute_expires_at: string;
}

export class SignedIn extends SessionObject {
  @ApiProperty({ description: 'Send it back in `X-CSRF-Token` on every state-changing request (it is also in the `leoma_csrf` cookie).' })
  csrf_token: string;
  @ApiProperty({
    type: [ApiKeyWithSecret],
    description:
      "After a sign-up: the new tenant's test and live keys; after a claim link: the tenant's first keys of each mode it had none of. Secrets shown only here. Empty otherwise.",
  })
  api_keys: ApiKeyWithSecret[];
}

export class SessionList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [SessionObject] }) data: SessionObject[];
  @ApiProperty() has_more: boolean;
}
