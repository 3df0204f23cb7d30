import { definePermissions, type PermissionDefinition } from '../../../kernel/auth/index.ts';

/**
 * Security officers and operators see and handle every alert, auditors read them, and an organisation's
 * admins read the alerts about their organisation's data (the service narrows the list).
 */
export const MONITORING_PERMISSIONS: readonly PermissionDefinition[] = [
  {
    id: 'security-alerts:read',
    description: "Read monitoring alerts (an organisation's admins: those about its data).",
    rule: {
      kind: 'resource',
      platformRoles: ['operator', 'security_officer', 'auditor'],
      orgRoles: ['admin'],
      owner: false,
    },
  },
  {
    id: 'security-alerts:handle',
    description: 'Acknowledge, close or escalate monitoring alerts.',
    rule: { kind: 'roles', platformRoles: ['operator', 'security_officer'] },
  },
  {
    id: 'security-monitoring:run',
    description: 'Run the monitoring rules now.',
    rule: { kind: 'roles', platformRoles: ['operator', 'security_officer'] },
  },
  {
    id: 'security-monitoring:configure',
    description: 'Change the thresholds of the monitoring rules.',
    rule: { kind: 'roles', platformRoles: ['operator'] },
  },
];

definePermissions(MONITORING_PERMISSIONS);
