import { Global, Module } from '@nestjs/common';
import { TracingService } from './tracing.service';

/** Global: the request middleware (createApp) and the dispatcher's attempts use the one service. */
@Global()
@Module({ providers: [TracingService], exports: [TracingService] })
export class TracingModule {}
