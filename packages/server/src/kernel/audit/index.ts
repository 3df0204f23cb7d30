export { ledgerRoutes, VERIFY_JOB } from './ledger.routes.ts';
export {
  createLedger,
  type Ledger,
  type LedgerEntryView,
  type LedgerRecordInput,
  type ObjectRef,
  type SignedTreeHead,
  type VerifyReport,
} from './ledger.service.ts';
export { ledgerMigrations } from './migrations/index.ts';
export { loadOrCreateSigningKey, SIGNING_KEY_FILE, type SigningKey } from './signing-key.ts';
