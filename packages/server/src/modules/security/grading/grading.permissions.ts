import { definePermissions, type PermissionDefinition } from '../../../kernel/auth/index.ts';

/**
 * Grading (Art. 46) and responsibility (Art. 46, 48). An organisation's designated security officer may
 * hold any member role, so the read and confirm gates let members through and the service decides on the
 * organisation: platform roles everywhere, organisation admins and designated officers on their own.
 */
export const GRADING_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'security:read',
    description:
      "Read the security dashboard, gradings, officers and the important-data catalog (your organisation's; security officers, operators and auditors: all).",
    rule: {
      kind: 'resource',
      platformRoles: ['operator', 'auditor', 'security_officer'],
      orgRoles: ['admin', 'editor', 'member'],
      owner: false,
    },
  },
  {
    id: 'security:grade',
    description: "Draft and propose the grading of your organisation's catalog entries.",
    rule: { kind: 'resource', platformRoles: [], orgRoles: ['admin', 'editor'], owner: false },
  },
  {
    id: 'security:confirm',
    description:
      "Confirm or return proposed gradings (security officers; an organisation's designated security officer for its own entries).",
    rule: {
      kind: 'resource',
      platformRoles: ['security_officer'],
      orgRoles: ['admin', 'editor', 'member'],
      owner: false,
    },
  },
  {
    id: 'security:officers',
    description: "Name your organisation's chief data officer and security officer.",
    rule: { kind: 'resource', platformRoles: ['operator'], orgRoles: ['admin'], owner: false },
  },
  {
    id: 'security:matrix',
    description: 'Replace the grading matrix (impact object × harm → level).',
    rule: { kind: 'roles', platformRoles: ['operator', 'security_officer'] },
  },
];

definePermissions(GRADING_PERMISSIONS);
