import { definePermissions, type PermissionDefinition } from '../../kernel/auth/index.ts';

/**
 * Reading rows is public at the gate; the access policy (datastore.policy.ts) then decides from the
 * catalog entry's open and share types and grade who gets which rows.
 */
export const DATASTORE_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'datastore:manage',
    description: "Create data tables for your institution's catalog entries, upload and load data into them.",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin', 'editor'], owner: false },
  },
  {
    id: 'datastore:upload',
    description: 'Upload a file for loading into a data table.',
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin', 'editor'], owner: false },
  },
  {
    id: 'datastore:prune',
    description: 'Remove old versions of data tables.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
];

definePermissions(DATASTORE_PERMISSIONS);
