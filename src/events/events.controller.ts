import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DOMAIN_EVENT_TYPES } from './domain-events';
import { Access } from '../auth/access.decorator';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { FeedQueryDto, FeedResponseDto } from './dto/feed.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@Controller('api/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** Events in commit order after the `after` cursor; `next` is the cursor for the following page. */
  @Get()
  @Access('staff')
  @ApiOkResponse({ type: FeedResponseDto })
  @ApiQuery({
    name: 'types',
    required: false,
    // One comma-separated value (types=guest.checked_in,guest.left); a repeated parameter works too.
    style: 'form',
    explode: false,
    schema: { type: 'array', items: { type: 'string', enum: DOMAIN_EVENT_TYPES } },
    description: 'Comma-separated event types to include, e.g. guest.checked_in,guest.left',
  })
  @ApiErrors({ 400: 'Invalid input, or `after` is not an event id' })
  feed(@Query() query: FeedQueryDto): Promise<FeedResponseDto> {
    return this.events.feed({ after: query.after, limit: query.limit ?? 100, types: query.types });
  }
}
