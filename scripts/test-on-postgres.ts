// Runs the integration and HTTP tiers again on PostgreSQL when TEST_DATABASE_URL is set
// (each test file makes its own schema there), and says so plainly when it is not.
import { globSync } from 'node:fs';
import { runNodeTests } from './node-tests.ts';

if (!process.env.TEST_DATABASE_URL) {
  console.log('test:pg skipped: TEST_DATABASE_URL is not set (the integration and HTTP tiers ran on PGlite only).');
  process.exit(0);
}
const files = globSync('src/**/*.{int,access}.test.ts').concat(globSync('src/**/routes.test.ts'), globSync('src/**/errors.test.ts'));
console.log(`Running ${files.length} integration and HTTP test files on PostgreSQL`);
process.exit(await runNodeTests(['--test-concurrency=2', ...files]));
