import { Controller, Get, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { AccuracyService } from './accuracy.service';
import { AccuracyQuery, AccuracyResponse, CapacityAccuracy } from './dto/accuracy.dto';

@ApiTags('waitlist')
@ApiExtraModels(CapacityAccuracy)
@Controller('api/waitlist')
export class AccuracyController {
  constructor(private readonly accuracy: AccuracyService) {}

  /** How well quotes kept their word: the quote at check-in against the actual wait of guests seated since `since`. */
  @Get('accuracy')
  @Access('staff')
  @ApiOkResponse({ type: AccuracyResponse })
  get(@Query() query: AccuracyQuery): Promise<AccuracyResponse> {
    return this.accuracy.accuracy(query.since);
  }
}
