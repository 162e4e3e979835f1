// The part of js-yaml 4 the quick document read uses (documents/quick.ts); js-yaml ships no
// types of its own.
declare module 'js-yaml' {
  export interface TypeOptions {
    kind: 'scalar' | 'sequence' | 'mapping';
    resolve?: (data: unknown) => boolean;
    construct?: (data: string) => unknown;
  }
  export class Type {
    constructor(tag: string, options: TypeOptions);
  }
  export interface Schema {
    extend(types: { implicit?: Type[]; explicit?: Type[] }): Schema;
  }
  export const FAILSAFE_SCHEMA: Schema;
  export interface LoadOptions {
    schema?: Schema;
    maxDepth?: number;
    json?: boolean;
    listener?: (event: 'open' | 'close', state: never) => void;
  }
  export function load(text: string, options?: LoadOptions): unknown;
}
