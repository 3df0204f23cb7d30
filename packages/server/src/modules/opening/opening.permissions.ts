import { definePermissions, type PermissionDefinition } from '../../kernel/auth/index.ts';

/**
 * The city-wide plan is public; an organisation's plans in the making are read by its members and by the
 * oversight roles (the service narrows the list), drafted by its admins and editors, submitted by its
 * admins, and reviewed by the big data centre.
 */
export const OPENING_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'opening:read',
    description: "Read your organisations' opening plans (operators and auditors: every plan).",
    rule: { kind: 'authenticated' },
  },
  {
    id: 'opening:plan',
    description: "Draft and amend your organisation's annual opening plan.",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin', 'editor'], owner: false },
  },
  {
    id: 'opening:submit',
    description: "Submit your organisation's opening plan for review.",
    rule: { kind: 'resource', platformRoles: [], orgRoles: ['admin'], owner: false },
  },
  {
    id: 'opening:review',
    description: 'Review submitted opening plans: approve them or return them with a comment.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
];

definePermissions(OPENING_PERMISSIONS);
