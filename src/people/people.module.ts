import { Module } from '@nestjs/common';
import { SessionVerifier } from '../core/auth/session-verifier.js';
import { AuditModule } from '../audit/index.js';
import { KeysModule } from '../keys/index.js';
import { TenantsModule } from '../tenants/index.js';
import { MailModule } from '../mail/index.js';
import { OperatorsModule } from '../operators/index.js';
import { SessionsService } from './sessions.service.js';
import { SignInLinks } from './sign-in-links.service.js';
import { MembershipsService } from './memberships.service.js';
import { EmailSignIn } from './email-sign-in.service.js';
import { SessionViews } from './session-views.js';
import { AuthController } from './auth.controller.js';
import { SessionsController } from './sessions.controller.js';
import { MembersController } from './members.controller.js';
import { MembersService } from './members.service.js';
import { InvitationsService } from './invitations.service.js';
import { SsoService } from './sso.service.js';
import { SsoController } from './sso.controller.js';
import { SignInEvents } from './sign-in-events.js';
import { SsoDomainsService } from './sso-domains.service.js';
import { OperatorSsoController } from './operator-sso.controller.js';
import { ClaimLinksService } from './claim-links.service.js';
import { AdminClaimLinksController } from './admin-claim-links.controller.js';
import { ClaimLinksController } from './claim-links.controller.js';

/** People: users, memberships and roles, sign-up and sign-in, and the browser sessions core's auth guard resolves cookies with. */
@Module({
  imports: [AuditModule, KeysModule, TenantsModule, MailModule, OperatorsModule],
  controllers: [AuthController, SessionsController, MembersController, SsoController, AdminClaimLinksController, ClaimLinksController, OperatorSsoController],
  providers: [
    SessionsService,
    { provide: SessionVerifier, useExisting: SessionsService },
    SignInLinks,
    MembershipsService,
    EmailSignIn,
    SessionViews,
    MembersService,
    InvitationsService,
    SsoService,
    SignInEvents,
    SsoDomainsService,
    ClaimLinksService,
  ],
  exports: [SessionVerifier, SessionsService],
})
export class PeopleModule {}
