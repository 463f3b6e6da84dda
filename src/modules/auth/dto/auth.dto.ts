import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.com' })
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class MemberCodeRequestDto {
  @ApiProperty({ example: 'ana@example.com' })
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email: string;
}

export class MemberSessionDto extends MemberCodeRequestDto {
  @ApiProperty({ example: '123456' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'must be the 6-digit code we sent' })
  code: string;
}
