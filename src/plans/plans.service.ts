import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { Plan } from './plan.entity.js';
import { DomainError } from '../platform/http/domain-error.js';

@Injectable()
export class PlansService {
  constructor(@InjectRepository(Plan) private readonly plans: Repository<Plan>) {}

  list(): Promise<Plan[]> {
    return this.plans.find({ order: { queuePriority: 'DESC' } });
  }

  async get(code: string): Promise<Plan> {
    const plan = await this.plans.findOneBy({ code });
    if (!plan) throw new DomainError('plan_not_found', `No plan '${code}'.`, { errors: [{ param: 'plan', code: 'plan_not_found', message: 'unknown plan' }] });
    return plan;
  }
}
