#!/usr/bin/env node
// The `edgespike` command: runs src/cli.ts through tsx's loader, so an installed copy
// (`npm install -g .`) behaves exactly like `npx tsx src/cli.ts`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
