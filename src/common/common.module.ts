import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { PageRenderer } from './pages/page-renderer';
import { PersonalDataRegistry } from './personal-data.registry';

@Global()
@Module({
  providers: [Clock, PageRenderer, PersonalDataRegistry],
  exports: [Clock, PageRenderer, PersonalDataRegistry],
})
export class CommonModule {}
