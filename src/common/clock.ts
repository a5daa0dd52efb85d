import { Injectable } from '@nestjs/common';

/**
 * The time source for schedules (retries, leases, grace periods). Tests move it forward
 * with `advance` to exercise schedules measured in hours without sleeping.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  nowMs(): number {
    return Date.now() + this.offsetMs;
  }

  iso(offsetMs = 0): string {
    return new Date(this.nowMs() + offsetMs).toISOString();
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
