/** The declaration form of rules and the engine loop that runs them. */
export * from './declaration';
export * from './verdicts';
export { gapVerdict } from './gaps';
export * from './refs';
export { runRule, runRules } from './runRule';
export { perFederation } from './memo';
