import { User } from './user.entity.js';
import { Membership } from './membership.entity.js';
import { Session } from './session.entity.js';
import { SignInLink } from './sign-in-link.entity.js';
import { Invitation } from './invitation.entity.js';
import { SsoConnection } from './sso-connection.entity.js';
import { SsoRequest } from './sso-request.entity.js';
import { ClaimLink } from './claim-link.entity.js';
import { SsoDomain } from './sso-domain.entity.js';

export const peopleEntities = [User, Membership, Session, SignInLink, Invitation, SsoConnection, SsoRequest, ClaimLink, SsoDomain];
