import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { IsNull, Not, type DataSource, type EntityManager } from 'typeorm';
import { SsoDomain } from './sso-domain.entity.js';
import { txtRecords } from './dns-txt.js';
import { newToken } from './tokens.js';
import { DomainError, notFound } from '../platform/http/domain-error.js';
import { AuditService, type Actor } from '../audit/index.js';

export const TXT_PREFIX = 'leoma-verification=';

/** Proof of a tenant's email domains for single sign-on: a TXT record with the domain's token, looked up when asked. */
@Injectable()
export class SsoDomainsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: AuditService,
  ) {}

  list(tenantId: string): Promise<SsoDomain[]> {
    return this.db.getRepository(SsoDomain).find({ where: { tenantId }, order: { domain: 'ASC' } });
  }

  async get(tenantId: string, domain: string): Promise<SsoDomain> {
    const found = await this.db.getRepository(SsoDomain).findOneBy({ tenantId, domain: domain.toLowerCase() });
    if (!found) throw notFound('SSO domain', domain);
    return found;
  }

  /** Adding a domain twice answers the first one (same token), so a retried request changes nothing. */
  async add(actor: Actor, tenantId: string, rawDomain: string): Promise<SsoDomain> {
    const domain = rawDomain.toLowerCase();
    return this.db.transaction(async (tx) => {
      if (await this.ensure(tx, tenantId, [domain])) {
        await this.audit.record(tx, actor, { tenantId, action: 'sso.domain_added', targetType: 'sso_domain', targetId: domain });
      }
      return tx.findOneByOrFail(SsoDomain, { tenantId, domain });
    });
  }

  /** Pending rows for domains not claimed yet (a configured connection's allowed domains); whether any was new. */
  async ensure(tx: EntityManager, tenantId: string, domains: string[]): Promise<boolean> {
    let added = false;
    for (const domain of domains) {
      const res = (await tx.query(
        'insert into sso_domains (tenant_id, domain, token) values ($1, $2, $3) on conflict (tenant_id, domain) do nothing returning domain',
        [tenantId, domain, newToken()],
      )) as unknown[];
      added ||= res.length > 0;
    }
    return added;
  }

  async remove(actor: Actor, tenantId: string, domain: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const res = await tx.delete(SsoDomain, { tenantId, domain: domain.toLowerCase() });
      if (!res.affected) throw notFound('SSO domain', domain);
      await this.audit.record(tx, actor, { tenantId, action: 'sso.domain_removed', targetType: 'sso_domain', targetId: domain.toLowerCase() });
    });
  }

  /** Looks the TXT record up now; a verified domain stays verified (checking again only notes when). */
  async verify(actor: Actor, tenantId: string, domain: string): Promise<SsoDomain> {
    const row = await this.get(tenantId, domain);
    const expected = `${TXT_PREFIX}${row.token}`;
    let found: string[];
    try {
      found = await txtRecords(row.domain);
    } catch (e) {
      throw new DomainError(
        'domain_verification_failed',
        `DNS did not answer for ${row.domain} (${(e as { code?: string }).code ?? (e as Error).message}); try again.`,
      );
    }
    const checkedAt = new Date();
    if (!found.includes(expected)) {
      await this.db.getRepository(SsoDomain).update({ tenantId, domain: row.domain }, { checkedAt });
      const ours = found.filter((r) => r.startsWith(TXT_PREFIX)).length;
      throw new DomainError(
        'domain_verification_failed',
        `No TXT record "${expected}" at ${row.domain}: ${found.length} TXT record(s) there${ours ? `, ${ours} with another leoma-verification token` : ''}. Add it and verify again (DNS changes can take a while to appear).`,
      );
    }
    return this.db.transaction(async (tx) => {
      const first = !row.verifiedAt;
      const verifiedAt = row.verifiedAt ?? checkedAt;
      await tx.update(SsoDomain, { tenantId, domain: row.domain }, { verifiedAt, checkedAt });
      if (first) await this.audit.record(tx, actor, { tenantId, action: 'sso.domain_verified', targetType: 'sso_domain', targetId: row.domain });
      return { ...row, verifiedAt, checkedAt };
    });
  }

  verified(tenantId: string, domain: string, db: Pick<EntityManager, 'existsBy'> = this.db.manager): Promise<boolean> {
    return db.existsBy(SsoDomain, { tenantId, domain, verifiedAt: Not(IsNull()) });
  }

  async verifiedOf(tenantId: string): Promise<string[]> {
    return (await this.db.getRepository(SsoDomain).find({ where: { tenantId, verifiedAt: Not(IsNull()) }, order: { domain: 'ASC' } })).map((d) => d.domain);
  }

  /** The tenant that proved it owns the domain first (the one an address's sign-on goes to). */
  async ownerOf(domain: string): Promise<string | null> {
    const row = await this.db.getRepository(SsoDomain).findOne({ where: { domain, verifiedAt: Not(IsNull()) }, order: { verifiedAt: 'ASC' } });
    return row?.tenantId ?? null;
  }
}
