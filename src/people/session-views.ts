import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Membership } from './membership.entity.js';
import { User } from './user.entity.js';
import type { Session } from './session.entity.js';
import { presentSession } from './session.presenter.js';
import type { SessionObject } from './dto/session.object.js';
import { OperatorsService } from '../operators/index.js';

/** A session as the person sees it: who they are, where they act, with which role. */
@Injectable()
export class SessionViews {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly operators: OperatorsService,
  ) {}

  async present(sessions: Session[], currentId: string | undefined): Promise<SessionObject[]> {
    const first = sessions[0];
    if (!first) return [];
    const person = first.userId ? await this.ofUser(first.userId) : await this.ofOperator(first.operatorId!);
    return sessions.map((s) =>
      presentSession(s, {
        email: person.email,
        role: s.userId ? (person.memberships.find((m) => m.tenant_id === s.tenantId)?.role ?? null) : person.role,
        memberships: person.memberships,
        currentId,
      }),
    );
  }

  private async ofUser(userId: string) {
    const [user, members] = await Promise.all([
      this.db.getRepository(User).findOneBy({ id: userId }),
      this.db.getRepository(Membership).find({ where: { userId }, order: { createdAt: 'ASC' } }),
    ]);
    return { email: user?.email ?? null, role: null, memberships: members.map((m) => ({ tenant_id: m.tenantId, role: m.role })) };
  }

  private async ofOperator(operatorId: string) {
    const operator = await this.operators.find({ id: operatorId });
    return { email: operator?.email ?? null, role: operator?.role ?? null, memberships: [] };
  }
}
