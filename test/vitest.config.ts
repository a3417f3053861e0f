import { endToEndTestConfig } from '../vitest.config.base.js';

export default endToEndTestConfig();
