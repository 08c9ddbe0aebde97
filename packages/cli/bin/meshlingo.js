#!/usr/bin/env node
// Committed shim so the package manager can link the bin before the first build.
import '../dist/cli.js';
