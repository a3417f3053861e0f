export { startFakeBuildkite } from './fake-buildkite.js';
export type {
  AgentRetryOptions,
  FakeBuildkite,
  FakeBuildkiteOptions,
  Fault,
  JobApiMode,
  RecordedRequest,
  TestEngineOptions,
  TestEngineTest,
} from './types.js';
