import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ROLES, type Role } from '../../../../../libs/auth/src/token.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GUID_OR_ALL = /^(\*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export class LocalSignInRequestDto {
  @ApiProperty({ example: '11111111-1111-4111-8111-111111111111' })
  @Matches(GUID, { message: 'tenantId must be a GUID' })
  tenantId!: string;

  @ApiProperty({ example: '22222222-2222-4222-8222-222222222222', description: 'A project GUID, or * for every project of the tenant' })
  @Matches(GUID_OR_ALL, { message: 'projectId must be a GUID or *' })
  projectId!: string;

  @ApiProperty({ example: 'analyst@company.com', description: 'Shown as submittedBy' })
  @IsString() @Length(1, 200)
  subject!: string;

  @ApiProperty({ enum: ROLES, example: 'operator' })
  @IsIn(ROLES as unknown as string[], { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;
}
