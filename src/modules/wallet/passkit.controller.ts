import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common';
import { DeviceLogDto, RegisterDeviceDto } from './dto/passkit.dto';
import { PasskitService } from './passkit.service';

export const PKPASS_TYPE = 'application/vnd.apple.pkpass';

/**
 * Apple's PassKit web service (the pass's webServiceURL is <PUBLIC_URL>/passkit). Public for the
 * global guard: each route checks Apple's own credentials — the `ApplePass <token>` header, or
 * for the serial list the device library id itself.
 */
@ApiExcludeController()
@Controller('passkit/v1')
export class PasskitController {
  constructor(private readonly passkit: PasskitService) {}

  @Post('devices/:device/registrations/:passType/:serial')
  @Public()
  async register(
    @Param('device') device: string,
    @Param('passType') passType: string,
    @Param('serial') serial: string,
    @Body() dto: RegisterDeviceDto,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const created = await this.passkit.register(
      device,
      passType,
      serial,
      dto.pushToken,
      authorization,
    );
    reply.status(created ? 201 : 200);
    return {};
  }

  @Delete('devices/:device/registrations/:passType/:serial')
  @Public()
  @HttpCode(200)
  async unregister(
    @Param('device') device: string,
    @Param('passType') passType: string,
    @Param('serial') serial: string,
    @Headers('authorization') authorization: string | undefined,
  ) {
    await this.passkit.unregister(device, passType, serial, authorization);
    return {};
  }

  @Get('devices/:device/registrations/:passType')
  @Public()
  async serials(
    @Param('device') device: string,
    @Param('passType') passType: string,
    @Query('passesUpdatedSince') since: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const result = await this.passkit.updatedSerials(device, passType, since);
    if (!result) reply.status(204).send();
    else reply.status(200).send(result);
  }

  @Get('passes/:passType/:serial')
  @Public()
  async pass(
    @Param('passType') passType: string,
    @Param('serial') serial: string,
    @Headers('authorization') authorization: string | undefined,
    @Headers('if-modified-since') ifModifiedSince: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const pass = await this.passkit.latestPass(passType, serial, authorization, ifModifiedSince);
    reply.header('Cache-Control', 'no-cache');
    if (!pass) {
      reply.status(304).send();
      return;
    }
    reply
      .status(200)
      .type(PKPASS_TYPE)
      .header('Last-Modified', pass.lastModified.toUTCString())
      .header('ETag', `"${pass.etag}"`)
      .send(pass.buffer);
  }

  @Post('log')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  log(@Body() dto: DeviceLogDto) {
    this.passkit.log(dto.logs);
    return {};
  }
}
