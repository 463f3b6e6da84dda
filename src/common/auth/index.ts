export * from './principal';
export * from './decorators';
export * from './ownership';
