import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsIn,
  IsISO31661Alpha2,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  Validate,
} from 'class-validator';
import { API_KEY_SCOPES } from '../auth/access';
import { IsIanaZone } from '../auth/auth.dto';
import { ORG_ROLES, OrgRole } from '../context/request-context';

export class CreateInvitationDto {
  @ApiProperty() @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ enum: ORG_ROLES }) @IsIn(ORG_ROLES) role: OrgRole;
}

export class AcceptInvitationDto {
  @ApiProperty() @IsString() @MaxLength(200) token: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ORG_ROLES }) @IsIn(ORG_ROLES) role: OrgRole;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'Meter gateway' }) @IsString() @Length(1, 100) name: string;
  @ApiProperty({ enum: API_KEY_SCOPES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes: string[];
}

export class CreateOrganizationDto {
  @ApiProperty() @IsString() @Length(1, 200) name: string;
  @ApiProperty({ example: 'GB' }) @IsISO31661Alpha2() country: string;
  @ApiPropertyOptional({ example: 'Europe/London' }) @IsOptional() @Validate(IsIanaZone) timezone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) sector?: string;
}
