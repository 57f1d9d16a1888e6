import { ApiProperty } from '@nestjs/swagger';
import { ROLLOUT_STATES } from '../rollout-machine.js';

export class RolloutObject {
  @ApiProperty({ enum: ['model_rollout'] }) object: 'model_rollout';
  @ApiProperty({ example: 'rol_01jz0000000000000000000000' }) id: string;
  @ApiProperty({ example: 'leoma/wan2.2-i2v-a14b-diffusers' }) repo: string;
  @ApiProperty({ example: 'sha256:79e4cc89edd935e8ea843ae2bd80fb85d3444128bb946990109a33ffafb2184e' }) digest: string;
  @ApiProperty({
    enum: ROLLOUT_STATES,
    description: '`serving`: makes "winner" videos; `ready` after serving: one of the last kings kept for rollback and pins.',
  })
  state: string;
  @ApiProperty({ description: 'An operator hold: not made the served model until released.' }) held: boolean;
  @ApiProperty({ description: 'An operator force: served with one READY backend instead of ROLLOUT_MIN_READY_BACKENDS.' }) forced: boolean;
  @ApiProperty({ description: 'Backends READY and reporting this digest now.' }) ready_backends: number;
  @ApiProperty({
    type: String,
    nullable: true,
    enum: ['fetching', 'loading', 'warming', null],
    description: 'The furthest start-up phase a backend loading this digest reports.',
  })
  backend_phase: string | null;
  @ApiProperty({ description: 'Videos running on its backends now.' }) in_flight: number;
  @ApiProperty() attempts: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) next_attempt_at: string | null;
  @ApiProperty({ type: String, nullable: true }) last_error: string | null;
  @ApiProperty({ format: 'date-time' }) state_since: string;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) served_at: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) replaced_at: string | null;
}

export class RolloutList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ type: [RolloutObject] }) data: RolloutObject[];
  @ApiProperty() has_more: boolean;
}

export class DeploymentObject {
  @ApiProperty({ enum: ['model_deployment'] }) object: 'model_deployment';
  @ApiProperty() repo: string;
  @ApiProperty() digest: string;
  @ApiProperty({
    enum: ['deploy', 'keep', 'remove'],
    description:
      '`deploy`: start backends for it and register them; `keep`: leave its backends running (served, or kept for rollback); `remove`: its backends may be taken down.',
  })
  action: string;
  @ApiProperty({ description: 'Backends wanted for it (ROLLOUT_REPLICAS); 0 for `remove`.' }) replicas: number;
  @ApiProperty() ready_backends: number;
  @ApiProperty({ enum: ROLLOUT_STATES }) state: string;
}

export class DeploymentList {
  @ApiProperty({ enum: ['list'] }) object: 'list';
  @ApiProperty({ enum: ['manual', 'kubernetes'], description: 'ROLLOUT_ACTUATOR: with `manual`, operators do what this list says.' }) actuator: string;
  @ApiProperty({ type: [DeploymentObject] }) data: DeploymentObject[];
  @ApiProperty() has_more: boolean;
}
