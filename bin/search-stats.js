#!/usr/bin/env node
// The `search-stats` command (package.json "bin"): runs the TypeScript CLI through tsx, no build step.
'use strict';
// The SDK's notice about future Node.js versions is noise for a local tool.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../local/cli/main.ts').runMain();
