import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Plan } from './plan.entity.js';
import { PlanVersion } from './plan-version.entity.js';
import { PlansService } from './plans.service.js';
import { AdminPlansController } from './admin-plans.controller.js';

@Module({
  imports: [TypeOrmModule.forFeature([Plan, PlanVersion])],
  controllers: [AdminPlansController],
  providers: [PlansService],
  exports: [PlansService],
})
export class PlansModule {}
