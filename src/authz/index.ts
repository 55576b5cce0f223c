export { assemble, assemblyKey, isServiceLinkedRole, type AuthzRequest, type Assembled, type PolicySourceInfo } from './assemble.js';
export { AssemblyCache } from './assembly-cache.js';
export { authorize, type AuthorizeRequest, type Authorization } from './authorize.js';
export { deriveContext } from './context.js';
export { loadUniverse, loadUniverseAsync, universeFromTexts, type UniverseSource, type LoadedUniverse } from './universe.js';
