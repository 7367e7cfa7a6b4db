// Prints the README's configuration table from the config schema: `npm run -s nara-config-table`.
import { configVariables } from '../src/config.ts';

console.log('| variable | default | required in production | what it does |');
console.log('|---|---|---|---|');
for (const v of configVariables) console.log(`| \`${v.name}\` | ${/^\(|derived|outside/.test(v.default) ? v.default : `\`${v.default}\``} | ${v.required ? 'yes' : 'no'} | ${v.description} |`);
