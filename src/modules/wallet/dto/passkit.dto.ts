import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';

export class RegisterDeviceDto {
  @ApiProperty({ description: 'APNs device token (hex)', example: 'a1b2c3…' })
  @IsString()
  @Matches(/^[0-9A-Za-z]{8,200}$/, { message: 'pushToken must be an APNs token' })
  pushToken: string;
}

export class DeviceLogDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(2000, { each: true })
  logs: string[];
}
