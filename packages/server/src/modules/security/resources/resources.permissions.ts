import { definePermissions, type PermissionDefinition } from '../../../kernel/auth/index.ts';

/**
 * Scans, risk assessments and de-identification of a data table are for those answerable for it: its
 * provider's admins and editors, the platform's security officers and the big data centre. The service
 * checks the table itself; these rules let the right people reach it.
 */
export const RESOURCE_SECURITY_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'security:scan',
    description: 'Scan a data table for personal and sensitive data, and assess its re-identification risk.',
    rule: {
      kind: 'resource',
      platformRoles: ['security_officer', 'operator'],
      orgRoles: ['admin', 'editor'],
      owner: false,
    },
  },
  {
    id: 'security:derive',
    description: 'Make a de-identified table from a data table, with its risk report.',
    rule: {
      kind: 'resource',
      platformRoles: ['security_officer', 'operator'],
      orgRoles: ['admin', 'editor'],
      owner: false,
    },
  },
];

definePermissions(RESOURCE_SECURITY_PERMISSIONS);
