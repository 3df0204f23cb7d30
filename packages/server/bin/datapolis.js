#!/usr/bin/env node
// Needs Node.js 22.18+ (type stripping); inside the repository, npm scripts use the pinned Node 24.
await import('../src/cli/main.ts');
