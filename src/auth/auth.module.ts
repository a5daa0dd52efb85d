import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessGuard } from './access.guard';
import { ApiKeyEntity } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';
import { GuestTokensService } from './guest-tokens.service';
import { KeyRevocationHooks } from './key-revocation';
import { KeysController } from './keys.controller';
import { SocketAuth } from './socket-auth';

@Global()
@Module({
  // DiscoveryModule: KeyRevocationHooks finds the `@OnKeyRevocation()` providers of other modules.
  imports: [TypeOrmModule.forFeature([ApiKeyEntity]), DiscoveryModule],
  controllers: [KeysController],
  providers: [ApiKeysService, GuestTokensService, KeyRevocationHooks, SocketAuth, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [ApiKeysService, GuestTokensService, KeyRevocationHooks, SocketAuth],
})
export class AuthModule {}
