import { Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Request } from 'express';
import { rateLimitBucket } from '../common/rate-limit-bucket';

/** The check-in rate limit, counted per client bucket (an IPv6 /64, an IPv4 address) rather than per exact address. */
@Injectable()
export class CheckInThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(rateLimitBucket((request as unknown as Request).ip));
  }
}
