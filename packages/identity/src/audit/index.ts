export { createAuditLog } from './audit-log';
export type { AuditLogOptions } from './audit-log';
export { createFileAuditStore } from './file-store';
export type { FileAuditStore, FileAuditStoreOptions } from './file-store';
export { createMemoryAuditStore } from './memory-store';
export type { MemoryAuditStore } from './memory-store';
export type {
  AuditEntry,
  AuditEvent,
  AuditHead,
  AuditLog,
  AuditOutcome,
  AuditProblem,
  AuditStore,
  AuditVerification,
  VerifyOptions,
} from './types';
