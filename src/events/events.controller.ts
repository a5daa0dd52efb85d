import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator';
import { FeedQueryDto, FeedResponseDto } from './dto/feed.dto';
import { EventsService } from './events.service';

@ApiTags('events')
@ApiBearerAuth()
@Controller('api/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** Events in commit order after the `after` cursor; `next` is the cursor for the following page. */
  @Get()
  @Access('staff')
  @ApiOkResponse({ type: FeedResponseDto })
  feed(@Query() query: FeedQueryDto): Promise<FeedResponseDto> {
    return this.events.feed({ after: query.after, limit: query.limit ?? 100, types: query.types });
  }
}
