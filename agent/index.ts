/** The agent as a library: `start(config) → { url, close() }`. The CLI, the desktop app and tests call it. */
export { start, type Agent, type StartOptions } from './start.js';
export { readAgentConfig, type AgentConfig } from './config/agentConfig.js';
export { ConfigError } from './config/ConfigError.js';
