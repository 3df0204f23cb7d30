export { type Config, loadConfig, type OidcConfig } from './config.ts';
