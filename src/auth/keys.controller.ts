import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Access } from './access.decorator';
import { ApiKeysService } from './api-keys.service';
import { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse } from './dto/api-key.dto';

@ApiTags('keys')
@Controller('api/keys')
@Access('admin')
export class KeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** Create an API key with scopes; the key itself is shown only in this response. */
  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyResponse })
  create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    return this.keys.create(body.name.trim(), body.scopes);
  }

  /** Every API key, revoked ones included (never the keys themselves). */
  @Get()
  @ApiOkResponse({ type: [ApiKeyResponse] })
  list(): Promise<ApiKeyResponse[]> {
    return this.keys.list();
  }

  /** Revoke a key: it stops working at once, and its live connections are closed. */
  @Delete(':id')
  @ApiOkResponse({ type: ApiKeyResponse })
  @ApiErrors(404)
  revoke(@Param('id') id: string): Promise<ApiKeyResponse> {
    return this.keys.revoke(id);
  }
}
