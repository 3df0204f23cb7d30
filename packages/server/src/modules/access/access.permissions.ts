import { definePermissions, type PermissionDefinition } from '../../kernel/auth/index.ts';

/**
 * The gate lets through whoever could act on *some* application; the service then checks the real one
 * (the provider institution of its entry, the applicant, the applicant's own organisation).
 */
export const ACCESS_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'access:apply',
    description: 'Apply for conditional access to a catalog entry; reply to questions and withdraw.',
    rule: { kind: 'authenticated' },
  },
  {
    id: 'access:read',
    description: 'Follow your applications and grants, and the applications for your institution’s entries.',
    rule: { kind: 'authenticated' },
  },
  {
    id: 'access:use',
    description: 'Read data through your grants (an API token needs this scope to use them).',
    rule: { kind: 'authenticated' },
  },
  {
    id: 'access:review',
    description: "Review applications for your institution's entries: approve, reject or ask for more.",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin', 'editor'], owner: false },
  },
  {
    id: 'access:centre-review',
    description: 'Approve or reject, for the big data centre, applications for important data.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
  {
    id: 'access:revoke',
    description: "Revoke grants on your institution's entries.",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin'], owner: false },
  },
  {
    id: 'notifications:read',
    description: 'Read and mark your notifications.',
    rule: { kind: 'authenticated' },
  },
];

definePermissions(ACCESS_PERMISSIONS);
