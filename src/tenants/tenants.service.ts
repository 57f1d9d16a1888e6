import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Tenant } from './tenant.entity.js';
import { newId } from '../common/ids.js';
import { notFound } from '../common/problem.js';

@Injectable()
export class TenantsService {
  constructor(@InjectRepository(Tenant) private readonly tenants: Repository<Tenant>) {}

  async create(input: { name: string; plan?: string; metadata?: Record<string, string> }): Promise<Tenant> {
    const tenant = this.tenants.create({ id: newId('tenant'), name: input.name, plan: input.plan ?? 'free', status: 'active', metadata: input.metadata ?? {} });
    return this.tenants.save(tenant);
  }

  async get(id: string): Promise<Tenant> {
    const tenant = await this.tenants.findOneBy({ id });
    if (!tenant) throw notFound('tenant', id);
    return tenant;
  }
}
