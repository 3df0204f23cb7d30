export { DEMO_USERNAMES, type DemoCredentials, seedDemo } from './demo-seed.ts';
export {
  createLogger,
  createPlatform,
  MIGRATIONS,
  openDb,
  type Platform,
  type PlatformOptions,
  VERSION,
} from './platform.ts';
