/** Types for instant-backend.mjs (plain JavaScript so the bench runner needs no compile step). */
export declare function startInstantBackend(mp4: Buffer): Promise<{ url: string; serverMs: Map<string, number>; close(): Promise<void> }>;
