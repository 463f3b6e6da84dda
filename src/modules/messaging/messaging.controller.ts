import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
} from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { CurrentPrincipal, invalid, Principal, Public, Roles } from '../../common';
import { ListMessagesQuery } from './dto/list-messages.dto';
import { InboundSmsDto, OptOutDto } from './dto/opt-out.dto';
import { MessagingService } from './messaging.service';
import { OptOutService } from './opt-out.service';

const requestOf = (req: FastifyRequest) => ({ ip: req.ip, requestId: String(req.id) });

@ApiTags('messages')
@Controller()
export class MessagingController {
  constructor(
    private readonly messaging: MessagingService,
    private readonly optOut: OptOutService,
  ) {}

  /** The outbox, newest first: `?status=failed` is the list of what could not be sent. */
  @Get('api/messages')
  @Roles('supervisor', 'admin')
  list(@Query() q: ListMessagesQuery) {
    return this.messaging.list(q);
  }

  /** Puts a failed message back in the queue, due now. */
  @Post('api/messages/:id/retry')
  @Roles('supervisor', 'admin')
  @HttpCode(200)
  retry(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    if (!/^\d{1,18}$/.test(id)) throw invalid('id', 'must be a message number');
    return this.messaging.retry(id, principal);
  }

  /** The opt-out link's token, for clients that show their own page. */
  @Post('api/public/messages/opt-out')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(200)
  async optOutByToken(@Body() dto: OptOutDto, @Req() req: FastifyRequest) {
    const { channel } = await this.optOut.withdrawByToken(dto.token, requestOf(req));
    return { withdrawn: channel === 'email' ? 'marketing_email' : 'marketing_sms' };
  }

  /** The SMS provider's inbound webhook (Bearer SMS_TOKEN): BAJA / STOP withdraws SMS offers. */
  @Post('api/public/sms/inbound')
  @Public()
  @HttpCode(200)
  inboundSms(
    @Body() dto: InboundSmsDto,
    @Headers('authorization') authorization: string | undefined,
    @Req() req: FastifyRequest,
  ) {
    return this.optOut.inboundSms(authorization, dto.from, dto.text, requestOf(req));
  }
}
