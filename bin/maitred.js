#!/usr/bin/env node
'use strict';
// The CLI is TypeScript built into dist-cli/ by `npm run build`; say so instead of a stack trace.
const { join } = require('node:path');
const { existsSync } = require('node:fs');
const main = join(__dirname, '..', 'dist-cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(
    `maitred: the CLI is not built (${main} is missing). Run \`npm run build\` in ${join(__dirname, '..')} first.\n`,
  );
  process.exit(1);
}
require(main);
