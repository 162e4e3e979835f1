/** What the route read from the upload, before anything about it is trusted. */
export interface EvidenceUpload {
  question?: string | undefined;
  domain?: string | undefined;
  file: {
    /** The name the client gave; only ever shown back, never used as a path. */
    name: string;
    /** The Content-Type the client gave the part; checked against the bytes. */
    declaredType: string;
    bytes: Buffer;
  };
}

/** One evidence file as the API lists it. */
export interface EvidenceView {
  id: string;
  question: string | null;
  domain: string | null;
  name: string;
  mediaType: string;
  size: number;
  uploadedBy: string;
  at: string;
}

/** One file, opened, with the name and media type to serve it under. */
export interface EvidenceDownload {
  name: string;
  mediaType: string;
  bytes: Buffer;
}
