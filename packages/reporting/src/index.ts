/**
 * What `@promise-failure/jest`, `/vitest` and `/mocha` share, so that they behave and word their one
 * line alike. Private: each reporter's build bundles this source into its own `dist` (tsup
 * `noExternal`), so a passing run still loads nothing beyond the reporter, and the core is imported
 * only on the first final failure.
 */
export {
  type Declaration,
  type DeclarationCall,
  type DeclarationRequest,
  type DeclareFunction,
  describeDeclaration,
  type SettledDeclaration,
  startDeclaration,
  waitForDeclaration,
} from './declaration.js';
export {
  defaultSettings,
  optionNames,
  type ReporterOptions,
  type ReporterSettings,
  type ResolvedReporterOptions,
  resolveReporterOptions,
  resolveSettings,
} from './options.js';
export { firstLine, formatReason, maxMessageLength, relativePath } from './reason.js';
export { printLine } from './stderr.js';
