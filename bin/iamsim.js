#!/usr/bin/env node
// The bundled command line (npm run build makes it; see scripts/build-cli.mjs). CommonJS (bin/package.json): the
// help and the version are answered without starting the ES module loader.
require('../dist/cli/launch.cjs');
