import { ApiProperty } from '@nestjs/swagger';
import { ApiKeyWithSecret } from '../../keys/index.js';
import { MEMBER_ROLES } from '../roles.js';

export class LinkSent {
  @ApiProperty({ enum: ['sign_up', 'sign_in_link'], description: "String naming the object's type: always `sign_up`." }) object: 'sign_up' | 'sign_in_link';
  @ApiProperty({ example: 'ada@example.com', description: 'The address the link was sent to.' }) email: string;
  @ApiProperty({ format: 'date-time', description: 'The link stops working then.' }) expires_at: string;
}

export class MembershipRef {
  @ApiProperty({ description: 'A tenant the user belongs to.' }) tenant_id: string;
  @ApiProperty({ enum: MEMBER_ROLES, description: "The user's role in it." }) role: string;
}

export class SessionObject {
  @ApiProperty({ example: 'ses_01jd3v8m7k2q9x4r5s6t7v8w9x', description: 'Unique identifier of the session (`ses_…`).' }) id: string;
  @ApiProperty({ enum: ['session'], description: "String naming the object's type: always `session`." }) object: 'session';
  @ApiProperty({ type: String, nullable: true, description: 'The signed-in user (null for an operator).' }) user_id: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The signed-in operator (null for a user).' }) operator_id: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The signed-in user's email; null for an operator session without one." }) email: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The tenant this session acts in.' }) tenant_id: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The user's role there, or the operator's role." }) role: string | null;
  @ApiProperty({ type: [MembershipRef], description: 'The tenants the user belongs to, with the role in each.' }) memberships: MembershipRef[];
  @ApiProperty({ example: 'email_link', description: 'How the session was opened: `email_link`, `sign_up`, `invitation`, `sso` or `claim`.' }) method: string;
  @ApiProperty({ description: 'Whether this is the session making the request.' }) current: boolean;
  @ApiProperty({ description: "The browser's User-Agent at sign-in." }) user_agent: string;
  @ApiProperty({ format: 'date-time', description: 'When the session was created (ISO 8601, UTC).' }) created_at: string;
  @ApiProperty({ format: 'date-time', description: 'Last request made with the session (updated about once a minute).' }) last_seen_at: string;
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
  @ApiProperty({ enum: ['list'], description: 'Always `list`.' }) object: 'list';
  @ApiProperty({ type: [SessionObject], description: 'This page of sessions, newest first.' }) data: SessionObject[];
  @ApiProperty({ description: "Whether more items follow this page: pass the last item's `id` as `starting_after` to get them." }) has_more: boolean;
}
