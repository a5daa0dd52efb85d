import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { QuoteRange } from '../events/event-data';
import { Availability, WaitlistService } from './waitlist.service';

class CapacityAvailability {
  @ApiProperty() total!: number;
  @ApiProperty() free!: number;
  @ApiProperty() estimatedWaitMinutes!: number;
  @ApiProperty({ type: QuoteRange, description: 'Where that wait will most likely end' }) estimatedWaitRange!: QuoteRange;
}

class FloorTable {
  @ApiProperty() id!: string;
  @ApiProperty() label!: string;
  @ApiProperty() capacity!: number;
  @ApiProperty({ enum: ['free', 'occupied', 'reserved', 'cleaning'] }) status!: string;
}

class AvailabilityResponse implements Availability {
  @ApiProperty() total!: number;
  @ApiProperty() free!: number;
  @ApiProperty() waiting!: number;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/CapacityAvailability' } })
  byCapacity!: Record<string, CapacityAvailability>;
  @ApiProperty({ type: [FloorTable] }) tables!: FloorTable[];
}

@ApiTags('tables')
@ApiExtraModels(CapacityAvailability)
@Controller('api/availability')
export class AvailabilityController {
  constructor(private readonly waitlist: WaitlistService) {}

  /** Free tables per size and the estimated wait for a party checking in now. */
  @Get()
  @Access('public')
  @ApiOkResponse({ type: AvailabilityResponse })
  get(): Promise<AvailabilityResponse> {
    return this.waitlist.availability();
  }
}
