import { definePermissions, type PermissionDefinition } from '../../kernel/auth/index.ts';

export const USAGE_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'usage:read',
    description: "See how your institution's data is used: by entry, channel, caller and day.",
    rule: {
      kind: 'resource',
      platformRoles: ['operator', 'auditor', 'statistician'],
      orgRoles: ['admin', 'editor', 'member'],
      owner: false,
    },
  },
];

definePermissions(USAGE_PERMISSIONS);
