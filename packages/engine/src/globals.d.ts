// TextDecoder is part of both Node and browsers; the engine needs only this much of it
// and stays free of DOM and Node typings.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
