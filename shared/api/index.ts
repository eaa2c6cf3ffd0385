export * from './bridge';
export * from './channels';
export * from './contract';
export * from './errors';
export * from './events';
export * from './models';
