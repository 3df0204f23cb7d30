import { definePermissions, type PermissionDefinition } from '../../kernel/auth/index.ts';

/**
 * Reading the catalog is public at the gate; the service then shows each reader only what they may see
 * (not-open entries to their provider, to institutions when shared, and to oversight roles).
 */
export const CATALOG_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'catalog:edit',
    description: "Draft and edit your institution's catalog entries.",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin', 'editor'], owner: false },
  },
  {
    id: 'catalog:submit',
    description: "Submit your institution's catalog for review, and retire its entries.",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin'], owner: false },
  },
  {
    id: 'catalog:review',
    description: 'Review submitted catalogs against the standard: approve or return them.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
  {
    id: 'catalog:manage-own',
    description: "Read your institution's drafts, submissions and quality dashboard.",
    rule: {
      kind: 'resource',
      platformRoles: ['operator', 'auditor', 'security_officer'],
      orgRoles: ['admin', 'editor', 'member'],
      owner: false,
    },
  },
  {
    id: 'catalog:objections:file',
    description: 'Report an error in a catalog entry.',
    rule: { kind: 'authenticated' },
  },
  {
    id: 'catalog:objections:answer',
    description: "Answer objections to your institution's entries.",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin', 'editor'], owner: false },
  },
  {
    id: 'catalog:profile:manage',
    description: 'Extend the catalog standard (metadata profile).',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
  {
    id: 'catalog:harvest',
    description: 'Import (harvest) a DCAT catalog into an institution.',
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin'], owner: false },
  },
];

definePermissions(CATALOG_PERMISSIONS);
