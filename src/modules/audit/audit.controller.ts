import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common';
import { AuditQueryDto } from './dto/audit-query.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  /** The trail, newest first, filtered by actor, member, action and dates (admins only). */
  @Get()
  @Roles('admin')
  list(@Query() query: AuditQueryDto) {
    return this.audit.query(query);
  }
}
