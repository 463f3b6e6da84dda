export { DemoModule } from './demo.module';
export { DemoService } from './demo.service';
