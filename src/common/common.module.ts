import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { EnrolmentHooks } from './enrolment-hooks.registry';
import { PageRenderer } from './pages/page-renderer';
import { PersonalDataRegistry } from './personal-data.registry';

@Global()
@Module({
  providers: [Clock, PageRenderer, PersonalDataRegistry, EnrolmentHooks],
  exports: [Clock, PageRenderer, PersonalDataRegistry, EnrolmentHooks],
})
export class CommonModule {}
