import { definePermissions, type PermissionDefinition } from '../../../kernel/auth/index.ts';

/**
 * An organisation's admins and the platform's security officers record and manage the organisation's
 * incidents; operators and auditors read every incident; operators set the severity and deadline rules.
 */
export const INCIDENT_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'security:incidents:read',
    description:
      "Read your organisation's data security incidents (operators, auditors, security officers: all).",
    rule: {
      kind: 'resource',
      platformRoles: ['operator', 'auditor', 'security_officer'],
      orgRoles: ['admin'],
      owner: false,
    },
  },
  {
    id: 'security:incidents:manage',
    description: "Record and manage your organisation's data security incidents, tasks, reports and letters.",
    rule: { kind: 'resource', platformRoles: ['security_officer'], orgRoles: ['admin'], owner: false },
  },
  {
    id: 'security:incidents:rules',
    description: 'Replace the incident severity and reporting deadline rules.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
];

definePermissions(INCIDENT_PERMISSIONS);
