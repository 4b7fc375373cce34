#!/usr/bin/env node
// Thin launcher: run the compiled CLI (npm run build makes dist/).
import('../dist/grader/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/grader')) {
    process.stderr.write('labgrade: not built yet; run `npm run build` first\n');
  } else {
    process.stderr.write(`labgrade: internal error: ${err && err.stack ? err.stack : err}\n`);
  }
  process.exit(2);
});
