/** Types of scripts/build-pages.mjs (imported by vitest.config.ts and the browser tests). */
export declare const OUT: string;
/** Builds dist/pages; resolves to the number of files written (unchanged files are left alone). */
export declare function buildPages(): Promise<number>;
