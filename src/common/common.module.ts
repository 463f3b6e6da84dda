import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { EnrolmentHooks } from './enrolment-hooks.registry';
import { Escalations } from './escalations.registry';
import { PageRenderer } from './pages/page-renderer';
import { PersonalDataRegistry } from './personal-data.registry';
import { PurchaseHooks } from './purchase-hooks.registry';
import { SearchRegistry } from './search.registry';
import { TimelineRegistry } from './timeline.registry';

const REGISTRIES = [
  PersonalDataRegistry,
  EnrolmentHooks,
  PurchaseHooks,
  TimelineRegistry,
  SearchRegistry,
  Escalations,
];

@Global()
@Module({
  providers: [Clock, PageRenderer, ...REGISTRIES],
  exports: [Clock, PageRenderer, ...REGISTRIES],
})
export class CommonModule {}
