import type { Command } from 'commander';
import { systemActor } from '../kernel/auth/index.ts';
import { print, withPlatform } from './context.ts';

function list(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function userCommands(program: Command): void {
  const user = program.command('user').description('Manage user accounts');
  user
    .command('create')
    .description('Create a user account')
    .requiredOption('--username <name>', 'sign-in name')
    .requiredOption('--display-name <name>', 'name shown to others')
    .option('--email <address>', 'e-mail address')
    .option(
      '--roles <roles>',
      'platform roles, comma-separated (operator, security_officer, exchange_operator, auditor, statistician)',
      '',
    )
    .option(
      '--password <password>',
      'password (or set DATAPOLIS_NEW_PASSWORD, which stays out of the shell history)',
    )
    .action(
      async (options: {
        username: string;
        displayName: string;
        email?: string;
        roles: string;
        password?: string;
      }) => {
        const password = options.password ?? process.env.DATAPOLIS_NEW_PASSWORD;
        if (password === undefined) throw new Error('Give --password or set DATAPOLIS_NEW_PASSWORD.');
        await withPlatform(async (platform) => {
          const created = await platform.identity.createUser(systemActor('cli'), {
            username: options.username,
            displayName: options.displayName,
            ...(options.email === undefined ? {} : { email: options.email }),
            password,
            platformRoles: list(options.roles),
          });
          print(`Created user ${created.username} (${created.id}).`);
        });
      },
    );

  const token = program.command('token').description('Manage API tokens');
  token
    .command('create')
    .description('Create an API token for a user (printed once)')
    .requiredOption('--username <name>', 'the user the token acts for')
    .requiredOption('--name <name>', 'what the token is for')
    .requiredOption('--scopes <permissions>', 'comma-separated permissions the token may use')
    .option('--days <n>', 'days until it expires', '90')
    .action(async (options: { username: string; name: string; scopes: string; days: string }) => {
      const days = Number(options.days);
      if (!Number.isInteger(days) || days < 1 || days > 365)
        throw new Error('--days must be an integer from 1 to 365.');
      await withPlatform(async (platform) => {
        const found = await platform.identity.userByUsername(options.username);
        if (found === undefined) throw new Error(`No user named ${options.username}.`);
        const session = await platform.identity.resolveUserActor(found.id);
        const created = await platform.identity.createToken(session, {
          name: options.name,
          scopes: list(options.scopes),
          expiresInDays: days,
        });
        print(created.token);
      });
    });
}
