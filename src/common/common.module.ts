import { Global, Module } from '@nestjs/common';
import { Clock } from './clock';
import { PageRenderer } from './pages/page-renderer';

@Global()
@Module({ providers: [Clock, PageRenderer], exports: [Clock, PageRenderer] })
export class CommonModule {}
