import { definePermissions, type PermissionDefinition } from '../../kernel/auth/index.ts';

export const IDENTITY_PERMISSIONS: readonly PermissionDefinition[] = [
  { id: 'session:own', description: 'Read your own profile and sign out.', rule: { kind: 'authenticated' } },
  {
    id: 'tokens:manage',
    description: 'Create, list and revoke your own API tokens.',
    rule: { kind: 'authenticated' },
  },
  {
    id: 'users:read',
    description: 'List user accounts.',
    rule: { kind: 'roles', platformRoles: ['operator', 'auditor'] },
  },
  {
    id: 'users:manage',
    description: 'Create and change user accounts and platform roles.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
  {
    id: 'organizations:manage',
    description: 'Register and change organisations.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
  {
    id: 'organizations:members:read',
    description: "List an organisation's members.",
    rule: {
      kind: 'resource',
      platformRoles: ['operator', 'auditor'],
      orgRoles: ['admin', 'editor', 'member'],
      owner: false,
    },
  },
  {
    id: 'organizations:members:manage',
    description: "Add, change and remove an organisation's members.",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin'], owner: false },
  },
  {
    id: 'clients:manage',
    description:
      "Register, list, rotate and revoke your institution's business systems (OAuth 2.0 clients, Art. 17).",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin'], owner: false },
  },
];

definePermissions(IDENTITY_PERMISSIONS);
