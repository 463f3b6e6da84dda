export { DemoModule } from './demo.module';
export { DemoService } from './demo.service';
export { DEMO_STAFF, DEMO_STORES, DEMO_MEMBERS } from './demo-data';
export { isLoopbackHost } from './demo-safety';
