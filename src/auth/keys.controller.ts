import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Access } from './access.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse } from './dto/api-key.dto';

@ApiTags('keys')
@ApiBearerAuth()
@Controller('api/keys')
@Access('admin')
export class KeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(body.name.trim(), body.scopes);
  }

  @Get()
  @ApiOkResponse({ type: [ApiKeyResponse] })
  list(): Promise<ApiKeyResponse[]> {
    return this.keys.list();
  }

  @Delete(':id')
  @ApiOkResponse({ type: ApiKeyResponse })
  revoke(@Param('id') id: string): Promise<ApiKeyResponse> {
    return this.keys.revoke(id);
  }
}
