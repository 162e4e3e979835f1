export * from './import-fns.js';
export * from './scales.js';
export * from './oscal.js';
export * from './ciso-assistant.js';
export * from './samm.js';
export * from './import-framework.js';
