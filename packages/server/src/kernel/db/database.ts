import type { AccessTables } from '../../modules/access/access.tables.ts';
import type { CatalogTables } from '../../modules/catalog/catalog.tables.ts';
import type { DatastoreTables } from '../../modules/datastore/datastore.tables.ts';
import type { IdentityTables } from '../../modules/identity/identity.tables.ts';
import type { OpeningTables } from '../../modules/opening/opening.tables.ts';
import type { SecurityResourceTables } from '../../modules/security/resources/resources.tables.ts';
import type { UsageTables } from '../../modules/usage/usage.tables.ts';
import type { LedgerTables } from '../audit/ledger.tables.ts';
import type { JobsTables } from '../jobs/jobs.tables.ts';

/** Every table Kysely knows, one interface per module; each repository touches only its own. */
export interface Database
  extends LedgerTables,
    JobsTables,
    IdentityTables,
    CatalogTables,
    DatastoreTables,
    OpeningTables,
    AccessTables,
    UsageTables,
    SecurityResourceTables {}
