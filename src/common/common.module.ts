import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock } from './clock';
import { InputSafetyGuard } from './input-safety.guard';

@Global()
@Module({ providers: [Clock, { provide: APP_GUARD, useClass: InputSafetyGuard }], exports: [Clock] })
export class CommonModule {}
