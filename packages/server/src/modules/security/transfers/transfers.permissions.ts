import { definePermissions, type PermissionDefinition } from '../../../kernel/auth/index.ts';

/**
 * An organisation's admins draft and submit its transfer requests and impact assessments; the
 * platform's security officers decide; operators, auditors and security officers read every request;
 * operators set the thresholds.
 */
export const TRANSFER_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'security:transfers:read',
    description:
      "Read your organisation's cross-border transfer requests (operators, auditors, security officers: all).",
    rule: {
      kind: 'resource',
      platformRoles: ['operator', 'auditor', 'security_officer'],
      orgRoles: ['admin'],
      owner: false,
    },
  },
  {
    id: 'security:transfers:request',
    description:
      "Draft and submit your organisation's cross-border transfer requests and impact assessments.",
    rule: { kind: 'resource', platformRoles: [], orgRoles: ['admin'], owner: false },
  },
  {
    id: 'security:transfers:decide',
    description: 'Approve or reject submitted cross-border transfer requests.',
    rule: { kind: 'roles', platformRoles: ['security_officer'] },
  },
  {
    id: 'security:transfers:rules',
    description: 'Replace the thresholds that decide the route of a cross-border transfer.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
];

definePermissions(TRANSFER_PERMISSIONS);
