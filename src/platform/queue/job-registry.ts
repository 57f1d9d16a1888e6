import { Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { runJobInTraceContext } from '../tracing/job-trace-context.js';
import { JOB_HANDLER } from './job-handler.decorator.js';
import { JOB_QUEUE, JobName } from './queue-names.js';

type Handler = (payload: unknown, job: Job) => Promise<unknown>;

/**
 * Finds every @JobHandler method and refuses to boot unless each JobName has exactly one, so a
 * job can never sit in a queue with nobody to run it, nor run twice through two handlers.
 */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<JobName, Handler>();
  /** Jobs running in this process with the lock token they hold: a draining worker hands back the ones that outlive its deadline. */
  private readonly running = new Map<string, { job: Job; token: string | undefined }>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    @Optional() private readonly log?: PinoLogger,
  ) {}

  onModuleInit(): void {
    const found = new Map<JobName, string[]>();
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const proto = Object.getPrototypeOf(instance);
      for (const method of this.scanner.getAllMethodNames(proto)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, proto[method]);
        if (!name) continue;
        found.set(name, [...(found.get(name) ?? []), `${proto.constructor.name}.${method}`]);
        this.handlers.set(name, (instance[method] as Handler).bind(instance));
      }
    }
    const problems: string[] = [];
    for (const name of Object.values(JobName)) {
      const where = found.get(name) ?? [];
      if (where.length === 0)
        problems.push(`job '${name}' has no handler: add @JobHandler(JobName.${keyOf(name)}) to one method of a provider in the worker module`);
      if (where.length > 1) problems.push(`job '${name}' has ${where.length} handlers (${where.join(', ')}): keep exactly one`);
    }
    if (problems.length) throw new Error(`Job handler check failed:\n  ${problems.join('\n  ')}`);
  }

  /** Runs the job's handler with its id on every log line and inside the trace that enqueued it. */
  async run(job: Job, token?: string): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`no handler for job '${job.name}' on queue '${job.queueName}'`);
    const key = `${job.queueName}:${job.id}`;
    this.running.set(key, { job, token });
    try {
      const run = () => runJobInTraceContext(job, () => handler(job.data, job));
      return await (this.log ? this.log.runInContext(run, { bindings: { job_id: job.id, job: job.name, queue: job.queueName } }) : run());
    } finally {
      this.running.delete(key);
    }
  }

  /** The jobs this process is running now. */
  active(): { job: Job; token: string | undefined }[] {
    return [...this.running.values()];
  }

  jobsOn(queue: string): JobName[] {
    return Object.values(JobName).filter((n) => JOB_QUEUE[n] === queue);
  }
}

const keyOf = (name: JobName) => Object.entries(JobName).find(([, v]) => v === name)?.[0];
