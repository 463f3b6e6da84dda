export { TillModule } from './till.module';
