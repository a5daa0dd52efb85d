import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/openapi/api-errors.decorator';
import { Access, CurrentPrincipal } from '../auth/access.decorator';
import { Principal, hasScope } from '../auth/scopes';
import { CreateTableDto, TableResponse, UpdateTableDto } from './dto/table.dto';
import { TableEntity } from './table.entity';
import { TablesService } from './tables.service';

function toResponse(table: TableEntity, forStaff: boolean): TableResponse {
  const base = { id: table.id, label: table.label, capacity: table.capacity, status: table.status };
  return forStaff ? { ...base, guestId: table.guestId } : base;
}

@ApiTags('tables')
@Controller('api/tables')
export class TablesController {
  constructor(private readonly tables: TablesService) {}

  /** Every table; `guestId` is included only for staff. */
  @Get()
  @Access('public')
  @ApiOkResponse({ type: [TableResponse] })
  async list(@CurrentPrincipal() principal: Principal | undefined): Promise<TableResponse[]> {
    const forStaff = hasScope(principal, 'staff');
    return (await this.tables.list()).map((table) => toResponse(table, forStaff));
  }

  /** Add a table to the floor (free). */
  @Post()
  @Access('admin')
  @ApiCreatedResponse({ type: TableResponse })
  async create(@Body() body: CreateTableDto): Promise<TableResponse> {
    return toResponse(await this.tables.create(body.label, body.capacity), true);
  }

  /** Set a table's status; moves the table state machine refuses answer 409. */
  @Patch(':id')
  @HttpCode(200)
  @Access('staff')
  @ApiOkResponse({ type: TableResponse })
  @ApiErrors(404, { 409: 'The table cannot move to that status now' })
  async update(@Param('id') id: string, @Body() body: UpdateTableDto): Promise<TableResponse> {
    return toResponse(await this.tables.setStatus(id, body.status), true);
  }
}
