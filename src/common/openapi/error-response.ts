import { ApiProperty } from '@nestjs/swagger';

export class FieldIssueResponse {
  @ApiProperty({ example: 'partySize', description: 'The field at fault (dotted for nested ones), or `body` for the whole body' })
  field!: string;
  @ApiProperty({ example: 'must be a whole number' }) message!: string;
}

/** The one shape of every error the API answers. */
export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request', description: 'The status text' }) error!: string;
  @ApiProperty({ example: 'partySize must be a whole number', description: 'For people; read `details` in code' })
  message!: string;
  @ApiProperty({ type: [FieldIssueResponse] }) details!: FieldIssueResponse[];
  @ApiProperty({ type: String, description: 'Also in the x-request-id header; quote it when reporting a problem' })
  requestId!: string;
}
