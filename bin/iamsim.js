#!/usr/bin/env node
// The bundled command line (npm run build makes it; see scripts/build-cli.mjs).
import '../dist/cli/iamsim.js';
