import type { Request, Response } from 'express';
import { appEnv } from '../config/app.env.js';
import { ProblemException } from './problem.js';

/** A body at least this large (or of unknown length, chunked) counts against its tenant's in-flight cap. */
const LARGE_BODY_BYTES = 1024 * 1024;

/**
 * Large request bodies each tenant may have in flight on this API process. Per process on
 * purpose: what it bounds is this pod's memory (a parsed batch of 32 MiB, an image being
 * checked), so that one tenant — with a test key as much as a live one — cannot take it all.
 */
export class LargeBodiesInFlight {
  private readonly inFlight = new Map<string, number>();

  /** Takes a slot for `tenantId` until the response is done, or refuses with 429 when its slots are all taken. */
  admit(tenantId: string, req: Request, res: Response): void {
    const length = req.headers['content-length'];
    if (length !== undefined && Number(length) < LARGE_BODY_BYTES) return;
    const max = appEnv.get().LARGE_BODIES_IN_FLIGHT_PER_TENANT;
    const held = this.inFlight.get(tenantId) ?? 0;
    if (held >= max) {
      throw new ProblemException(
        429,
        'too_many_large_requests',
        `At most ${max} large requests (uploads, batches, image videos) per account may be in progress at once; retry when one has finished.`,
        {
          limit: max,
          headers: { 'Retry-After': '1' },
        },
      );
    }
    this.inFlight.set(tenantId, held + 1);
    res.once('close', () => {
      const left = (this.inFlight.get(tenantId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(tenantId, left);
      else this.inFlight.delete(tenantId);
    });
  }
}
