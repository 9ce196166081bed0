export { flSecurityApiRef } from './FlSecurityApi';
export type { FlSecurityApi } from './FlSecurityApi';
export { FlSecurityClient } from './FlSecurityClient';
