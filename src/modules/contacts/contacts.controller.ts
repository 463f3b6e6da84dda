import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, RequestActor, Roles } from '../../common';
import { contactKey } from './contact-key';
import { ContactPrivacyService } from './contacts.service';
import { ContactKeyDto } from './dto/contact-key.dto';

/** GDPR access and erasure for customers who are not members, by the email or phone they left. */
@ApiTags('contacts')
@Controller('api/contacts')
export class ContactsController {
  constructor(private readonly privacy: ContactPrivacyService) {}

  @Get('export')
  @Roles('admin', 'supervisor')
  export(@Query() q: ContactKeyDto, @Actor() actor: RequestActor) {
    return this.privacy.export(contactKey(q), actor);
  }

  @Post('erase')
  @Roles('admin', 'supervisor')
  @HttpCode(200)
  erase(@Body() body: ContactKeyDto, @Actor() actor: RequestActor) {
    return this.privacy.erase(contactKey(body), actor);
  }
}
