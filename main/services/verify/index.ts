export { verifyHandlers } from './verify-handlers';
export type { VerifyParams } from './verify-run';
export { VerifyService } from './verify-service';
