import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../../common';
import {
  CreateDepartmentDto,
  DEPARTMENT_CODE,
  ListDepartmentsQuery,
  StaffDepartmentDto,
  UpdateDepartmentDto,
} from '../dto/department.dto';
import { departmentNotFound } from '../cases.errors';
import { DepartmentsService } from './departments.service';

/** A code in the path that cannot be a department is simply not one (404, not 400). */
function codeParam(code: string): string {
  if (!DEPARTMENT_CODE.test(code)) throw departmentNotFound();
  return code;
}

/** Departments, the case queues: every staff member reads them, admins keep them. */
@ApiTags('cases')
@Controller('api/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @Get()
  @Roles('staff')
  list(@Query() q: ListDepartmentsQuery) {
    return this.departments.list(q.all === 'true');
  }

  /** The caller's own department (their default queue), or null. */
  @Get('mine')
  @Roles('staff')
  async mine(@CurrentPrincipal() p: Principal) {
    return {
      department: p.kind === 'staff' ? await this.departments.staffDepartment(p.userId) : null,
    };
  }

  @Get(':code')
  @Roles('staff')
  get(@Param('code') code: string) {
    return this.departments.get(codeParam(code));
  }

  @Post()
  @Roles('admin')
  create(@Body() dto: CreateDepartmentDto, @CurrentPrincipal() p: Principal) {
    return this.departments.create(dto, p);
  }

  @Patch(':code')
  @Roles('admin')
  update(
    @Param('code') code: string,
    @Body() dto: UpdateDepartmentDto,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.departments.update(codeParam(code), dto, p);
  }

  @Delete(':code')
  @Roles('admin')
  @HttpCode(204)
  async remove(@Param('code') code: string, @CurrentPrincipal() p: Principal) {
    await this.departments.remove(codeParam(code), p);
  }

  /** Gives a staff user a department (their default queue) or takes it away (null). */
  @Put('staff/:id')
  @Roles('admin', 'supervisor')
  setStaff(
    @UuidParam() id: string,
    @Body() dto: StaffDepartmentDto,
    @CurrentPrincipal() p: Principal,
  ) {
    return this.departments.setStaffDepartment(id, dto.department, p);
  }
}
